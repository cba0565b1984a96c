import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import SyncProblemIcon from '@material-ui/icons/SyncProblem';
import HelpIcon from '@material-ui/icons/Help';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { SyncStatusValue } from '@kupe/plugin-gitops-common';
import { gitOpsTranslationRef } from '../../translation';
import { StatusChip } from './StatusChip';

export function SyncStatusChip(props: { status: SyncStatusValue }) {
  const { status } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  if (status === 'Synced') {
    return (
      <StatusChip
        title={t('status.sync')}
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
        title={t('status.sync')}
        label="OutOfSync"
        tone="warning"
        icon={<SyncProblemIcon />}
        testId="sync-status"
      />
    );
  }
  return (
    <StatusChip
      title={t('status.sync')}
      label={status || t('status.unknown')}
      tone="neutral"
      icon={<HelpIcon />}
      testId="sync-status"
    />
  );
}
