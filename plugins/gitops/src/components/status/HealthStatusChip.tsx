import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import AutorenewIcon from '@material-ui/icons/Autorenew';
import ErrorIcon from '@material-ui/icons/Error';
import PauseCircleFilledIcon from '@material-ui/icons/PauseCircleFilled';
import RemoveCircleIcon from '@material-ui/icons/RemoveCircle';
import HelpIcon from '@material-ui/icons/Help';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { HealthStatusValue } from '@kupe/plugin-gitops-common';
import { gitOpsTranslationRef } from '../../translation';
import { StatusChip } from './StatusChip';

export function HealthStatusChip(props: { status?: HealthStatusValue }) {
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const status = props.status ?? 'Unknown';
  const common = {
    title: t('status.health'),
    label: status,
    testId: 'health-status',
  };
  switch (status) {
    case 'Healthy':
      return <StatusChip {...common} tone="ok" icon={<CheckCircleIcon />} />;
    case 'Progressing':
      return (
        <StatusChip {...common} tone="progress" icon={<AutorenewIcon />} />
      );
    case 'Degraded':
      return <StatusChip {...common} tone="error" icon={<ErrorIcon />} />;
    case 'Missing':
      return (
        <StatusChip {...common} tone="error" icon={<RemoveCircleIcon />} />
      );
    case 'Suspended':
      return (
        <StatusChip
          {...common}
          tone="neutral"
          icon={<PauseCircleFilledIcon />}
        />
      );
    default:
      return <StatusChip {...common} tone="neutral" icon={<HelpIcon />} />;
  }
}
