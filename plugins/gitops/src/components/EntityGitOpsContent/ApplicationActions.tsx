import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  ApplicationSummary,
  applicationResourceRef,
  gitOpsApplicationSyncPermission,
  isProductionEnvironment,
} from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from '../../api/GitOpsApi';
import { errorMessage } from '../../lib/errorMessage';
import { ConfirmActionDialog } from './ConfirmActionDialog';
import { SyncOptions, SyncOptionsDialog } from './SyncOptionsDialog';

type Action =
  | { type: 'sync'; options: SyncOptions }
  | { type: 'refresh'; hard: boolean }
  | { type: 'terminate' };

interface Outcome {
  severity: 'success' | 'error';
  message: string;
}

/**
 * Sync, Refresh and Terminate for one application, offered only to users the permission
 * framework allows; production and prune ask for confirmation first.
 */
export function ApplicationActions(props: {
  app: ApplicationSummary;
  onUpdated(summary: ApplicationSummary): void;
  /** Why Argo CD would refuse a sync now (a sync window); disables Sync and says why. */
  syncBlockedReason?: string;
}) {
  const { app, onUpdated, syncBlockedReason } = props;
  const api = useApi(gitOpsApiRef);
  const permission = usePermission({
    permission: gitOpsApplicationSyncPermission,
    resourceRef: applicationResourceRef(app),
  });
  const [syncDialogOpen, setSyncDialogOpen] = useState(false);
  const [pending, setPending] = useState<Action | undefined>();
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const production = Boolean(
    app.environment && isProductionEnvironment(app.environment),
  );
  const operationRunning = app.operation?.phase === 'Running';
  const reasonId = `gitops-sync-blocked-${app.instance}-${app.appNamespace}-${app.name}`;

  if (permission.loading) return null;
  if (!permission.allowed) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        data-testid="actions-denied"
      >
        You do not have permission to sync or refresh {app.name}.
      </Typography>
    );
  }

  const run = async (action: Action) => {
    setPending(undefined);
    setRunning(true);
    setOutcome(undefined);
    const ref = {
      instance: app.instance,
      appNamespace: app.appNamespace,
      name: app.name,
    };
    const send = () => {
      switch (action.type) {
        case 'sync':
          return api.sync(ref, {
            prune: action.options.prune,
            dryRun: action.options.dryRun,
          });
        case 'refresh':
          return api.refresh(ref, { hard: action.hard });
        default:
          return api.terminate(ref);
      }
    };
    try {
      const response = await send();
      onUpdated(response.summary);
      setOutcome({
        severity: 'success',
        message: successMessage(action, app.name),
      });
    } catch (e) {
      setOutcome({
        severity: 'error',
        message: `${actionName(action)} of ${app.name} failed: ${errorMessage(
          e,
        )}`,
      });
    } finally {
      setRunning(false);
    }
  };

  const request = (action: Action) => {
    const needsConfirmation =
      production ||
      action.type === 'terminate' ||
      (action.type === 'sync' && action.options.prune);
    if (needsConfirmation) setPending(action);
    else run(action);
  };

  return (
    <Box>
      <Box
        display="flex"
        flexWrap="wrap"
        style={{ gap: 8 }}
        role="group"
        aria-label={`Actions for ${app.name}`}
      >
        {/* A disabled button gets no pointer events: the span carries the tooltip. */}
        <Tooltip title={syncBlockedReason ?? ''}>
          <span>
            <Button
              variant="contained"
              color="primary"
              disabled={running || syncBlockedReason !== undefined}
              aria-describedby={syncBlockedReason ? reasonId : undefined}
              onClick={() => setSyncDialogOpen(true)}
            >
              Sync
            </Button>
          </span>
        </Tooltip>
        {syncBlockedReason && (
          <span id={reasonId} hidden>
            {syncBlockedReason}
          </span>
        )}
        <Button
          variant="outlined"
          disabled={running}
          onClick={() => request({ type: 'refresh', hard: false })}
        >
          Refresh
        </Button>
        <Button
          variant="outlined"
          disabled={running}
          onClick={() => request({ type: 'refresh', hard: true })}
        >
          Hard refresh
        </Button>
        {operationRunning && (
          <Button
            variant="outlined"
            disabled={running}
            onClick={() => request({ type: 'terminate' })}
          >
            Terminate
          </Button>
        )}
      </Box>
      {outcome && (
        <Box mt={1}>
          <Alert
            severity={outcome.severity}
            role={outcome.severity === 'error' ? 'alert' : 'status'}
            onClose={() => setOutcome(undefined)}
            data-testid="action-outcome"
          >
            {outcome.message}
          </Alert>
        </Box>
      )}
      <SyncOptionsDialog
        open={syncDialogOpen}
        appName={app.name}
        onCancel={() => setSyncDialogOpen(false)}
        onSubmit={options => {
          setSyncDialogOpen(false);
          request({ type: 'sync', options });
        }}
      />
      <ConfirmActionDialog
        open={pending !== undefined}
        title={pending ? `${actionName(pending)} ${app.name}?` : ''}
        confirmLabel={
          pending ? `Confirm ${actionName(pending).toLowerCase()}` : 'Confirm'
        }
        onCancel={() => setPending(undefined)}
        onConfirm={() => pending && run(pending)}
      >
        {production && (
          <Typography paragraph>
            <strong>{app.name}</strong> runs in <strong>production</strong> (
            {app.environment}).
          </Typography>
        )}
        {pending?.type === 'sync' && pending.options.prune && (
          <Typography paragraph>
            Prune deletes every resource of {app.name} that is no longer in Git.
            {pending.options.dryRun
              ? ' This is a dry run: nothing is changed.'
              : ''}
          </Typography>
        )}
        {pending?.type === 'terminate' && (
          <Typography paragraph>
            The running sync operation stops where it is.
          </Typography>
        )}
      </ConfirmActionDialog>
    </Box>
  );
}

function actionName(action: Action): string {
  if (action.type === 'sync')
    return action.options.dryRun ? 'Dry-run sync' : 'Sync';
  if (action.type === 'refresh')
    return action.hard ? 'Hard refresh' : 'Refresh';
  return 'Terminate';
}

function successMessage(action: Action, name: string): string {
  if (action.type === 'sync') {
    return action.options.dryRun
      ? `Dry-run sync of ${name} started; nothing is changed.`
      : `Sync of ${name} started${action.options.prune ? ' with prune' : ''}.`;
  }
  if (action.type === 'refresh')
    return `${action.hard ? 'Hard refresh' : 'Refresh'} of ${name} requested.`;
  return `Termination of the running operation on ${name} requested.`;
}
