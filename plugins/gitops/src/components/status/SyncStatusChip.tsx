import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import SyncProblemIcon from '@material-ui/icons/SyncProblem';
import HelpIcon from '@material-ui/icons/Help';
import type { SyncStatusValue } from '@kupe/plugin-gitops-common';
import { StatusChip } from './StatusChip';

export function SyncStatusChip(props: { status: SyncStatusValue }) {
  const { status } = props;
  if (status === 'Synced') {
    return (
      <StatusChip
        title="Sync"
        label="Synced"
        tone="ok"
        icon={<CheckCircleIcon />}
        testId="sync-status"
      />
    );
  }
  if (status === 'OutOfSync') {
    return (
      <StatusChip
        title="Sync"
        label="OutOfSync"
        tone="warning"
        icon={<SyncProblemIcon />}
        testId="sync-status"
      />
    );
  }
  return (
    <StatusChip
      title="Sync"
      label={status || 'Unknown'}
      tone="neutral"
      icon={<HelpIcon />}
      testId="sync-status"
    />
  );
}
