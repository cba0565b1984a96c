import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import AutorenewIcon from '@material-ui/icons/Autorenew';
import ErrorIcon from '@material-ui/icons/Error';
import SyncProblemIcon from '@material-ui/icons/SyncProblem';
import HelpIcon from '@material-ui/icons/Help';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { Rollup, RollupState } from '@kupe/plugin-gitops-common';
import { gitOpsTranslationRef } from '../../translation';
import { StatusChip, StatusTone } from './StatusChip';

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
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const tone = TONES[state];
  const stateLabel = t(`status.rollup.${state}`);
  const label =
    state === 'none' || total <= 1 || counts[state] === total
      ? stateLabel
      : t('status.rollupCount', {
          label: stateLabel,
          number: String(counts[state]),
          total: String(total),
        });
  return (
    <StatusChip
      title={t('status.overall')}
      label={label}
      tone={tone}
      icon={ICONS[tone]}
      testId="rollup-status"
    />
  );
}
