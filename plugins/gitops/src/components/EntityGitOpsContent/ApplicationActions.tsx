import { useCallback, useState } from 'react';
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
  gitOpsApplicationSyncForcePermission,
  gitOpsApplicationSyncPermission,
  gitOpsApplicationSyncPrunePermission,
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
  const resourceRef = applicationResourceRef(app);
  const permission = usePermission({
    permission: gitOpsApplicationSyncPermission,
    resourceRef,
  });
  // Asked with the app, so a policy can keep force and prune in production to some people.
  const force = usePermission({
    permission: gitOpsApplicationSyncForcePermission,
    resourceRef,
  });
  const prune = usePermission({
    permission: gitOpsApplicationSyncPrunePermission,
    resourceRef,
  });
  const [syncDialogOpen, setSyncDialogOpen] = useState(false);
  const [pending, setPending] = useState<Action | undefined>();
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const production = Boolean(
    app.environment && isProductionEnvironment(app.environment),
  );
  const operationRunning = app.operation?.phase === 'Running';
  const { instance, appNamespace, name } = app;
  const loadResources = useCallback(
    () =>
      api
        .getManagedResources({ instance, appNamespace, name })
        .then(r => r.items),
    [api, instance, appNamespace, name],
  );
  const unavailable: Partial<Record<'force' | 'prune', string>> = {};
  for (const [option, decision] of [
    ['force', force],
    ['prune', prune],
  ] as const) {
    if (!decision.loading && !decision.allowed)
      unavailable[
        option
      ] = `Needs the gitops.application.sync.${option} permission${
        app.environment ? ` in ${app.environment}` : ''
      }.`;
  }
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
          return api.sync(ref, action.options);
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
      (action.type === 'sync' &&
        (action.options.prune || action.options.force));
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
        unavailable={unavailable}
        loadResources={loadResources}
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
        {pending?.type === 'sync' && pending.options.force && (
          <Typography paragraph>
            Force deletes and re-creates every resource of {app.name} that
            cannot be patched.
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

const OPTION_WORDS: Array<[keyof SyncOptions, string]> = [
  ['prune', 'prune'],
  ['force', 'force'],
  ['applyOnly', 'apply only'],
  ['applyOutOfSyncOnly', 'out-of-sync resources only'],
  ['serverSideApply', 'server-side apply'],
];

function successMessage(action: Action, name: string): string {
  if (action.type === 'sync') {
    const { options } = action;
    const words = OPTION_WORDS.filter(([o]) => options[o]).map(([, w]) => w);
    if (options.resources?.length)
      words.push(`${options.resources.length} selected resources`);
    const withWords = words.length ? ` with ${words.join(', ')}` : '';
    return options.dryRun
      ? `Dry-run sync of ${name} started${withWords}; nothing is changed.`
      : `Sync of ${name} started${withWords}.`;
  }
  if (action.type === 'refresh')
    return `${action.hard ? 'Hard refresh' : 'Refresh'} of ${name} requested.`;
  return `Termination of the running operation on ${name} requested.`;
}
