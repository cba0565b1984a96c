import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import AutorenewIcon from '@material-ui/icons/Autorenew';
import ErrorIcon from '@material-ui/icons/Error';
import SyncProblemIcon from '@material-ui/icons/SyncProblem';
import HelpIcon from '@material-ui/icons/Help';
import type { Rollup, RollupState } from '@kupe/plugin-gitops-common';
import { StatusChip, StatusTone } from './StatusChip';

const LABELS: Record<RollupState, string> = {
  degraded: 'Degraded',
  failed: 'Sync failed',
  missing: 'Missing',
  'out-of-sync': 'Out of sync',
  progressing: 'Progressing',
  unknown: 'Unknown',
  healthy: 'Healthy',
  none: 'No applications',
};

const TONES: Record<RollupState, StatusTone> = {
  degraded: 'error',
  failed: 'error',
  missing: 'warning',
  'out-of-sync': 'warning',
  progressing: 'progress',
  unknown: 'neutral',
  healthy: 'ok',
  none: 'neutral',
};

const ICONS: Record<StatusTone, JSX.Element> = {
  ok: <CheckCircleIcon />,
  warning: <SyncProblemIcon />,
  error: <ErrorIcon />,
  progress: <AutorenewIcon />,
  neutral: <HelpIcon />,
};

/** One state for all of an entity's apps; the count says how many apps are in it. */
export function RollupStatusChip(props: { rollup: Rollup }) {
  const { state, counts, total } = props.rollup;
  const tone = TONES[state];
  const label =
    state === 'none' || total <= 1 || counts[state] === total
      ? LABELS[state]
      : `${LABELS[state]} (${counts[state]} of ${total})`;
  return (
    <StatusChip
      title="Overall"
      label={label}
      tone={tone}
      icon={ICONS[tone]}
      testId="rollup-status"
    />
  );
}

export function rollupLabel(state: RollupState): string {
  return LABELS[state];
}
