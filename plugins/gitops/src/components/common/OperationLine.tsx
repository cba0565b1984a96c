import Typography from '@material-ui/core/Typography';
import type { ApplicationSummary } from '@kupe/plugin-gitops-common';

const PHASE_TEXT: Record<string, string> = {
  Running: 'Sync running',
  Terminating: 'Sync terminating',
  Failed: 'Last sync failed',
  Error: 'Last sync errored',
};

/** The current or last failed operation; a succeeded one says nothing the chips don't. */
export function OperationLine(props: {
  operation: ApplicationSummary['operation'];
}) {
  const { operation } = props;
  if (!operation || !PHASE_TEXT[operation.phase]) return null;
  const failed = operation.phase === 'Failed' || operation.phase === 'Error';
  return (
    <Typography
      variant="body2"
      color={failed ? 'error' : 'textPrimary'}
      role={failed ? 'alert' : 'status'}
      data-testid="operation"
    >
      {PHASE_TEXT[operation.phase]}
      {operation.message ? `: ${operation.message}` : ''}
    </Typography>
  );
}
