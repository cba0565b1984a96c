import { useCallback, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
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
import { type GitOpsTranslate, gitOpsTranslationRef } from '../../translation';
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
  const { t } = useTranslationRef(gitOpsTranslationRef);
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
    if (!decision.loading && !decision.allowed) {
      const permissionName = `gitops.application.sync.${option}`;
      unavailable[option] = app.environment
        ? t('actions.needsPermissionIn', {
            permission: permissionName,
            environment: app.environment,
          })
        : t('actions.needsPermission', { permission: permissionName });
    }
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
        {t('actions.denied', { name: app.name })}
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
        message: successMessage(t, action, app.name),
      });
    } catch (e) {
      setOutcome({
        severity: 'error',
        message: t('actions.failed', {
          action: actionName(t, action),
          name: app.name,
          reason: errorMessage(e),
        }),
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
        aria-label={t('actions.groupLabel', { name: app.name })}
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
              {t('actions.sync')}
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
          {t('actions.refresh')}
        </Button>
        <Button
          variant="outlined"
          disabled={running}
          onClick={() => request({ type: 'refresh', hard: true })}
        >
          {t('actions.hardRefresh')}
        </Button>
        {operationRunning && (
          <Button
            variant="outlined"
            disabled={running}
            onClick={() => request({ type: 'terminate' })}
          >
            {t('actions.terminate')}
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
        title={
          pending
            ? t('actions.confirmTitle', {
                action: actionName(t, pending),
                name: app.name,
              })
            : ''
        }
        confirmLabel={t('actions.confirm', {
          action: pending ? actionName(t, pending).toLowerCase() : '',
        })}
        onCancel={() => setPending(undefined)}
        onConfirm={() => pending && run(pending)}
      >
        {production && (
          <Typography paragraph>
            {t('actions.production', {
              name: <strong>{app.name}</strong>,
              environment: app.environment ?? '',
            })}
          </Typography>
        )}
        {pending?.type === 'sync' && pending.options.prune && (
          <Typography paragraph>
            {t('actions.prune', { name: app.name })}
            {pending.options.dryRun ? ` ${t('actions.dryRunNote')}` : ''}
          </Typography>
        )}
        {pending?.type === 'sync' && pending.options.force && (
          <Typography paragraph>
            {t('actions.force', { name: app.name })}
          </Typography>
        )}
        {pending?.type === 'terminate' && (
          <Typography paragraph>{t('actions.terminateNote')}</Typography>
        )}
      </ConfirmActionDialog>
    </Box>
  );
}

function actionName(t: GitOpsTranslate, action: Action): string {
  if (action.type === 'sync')
    return t(action.options.dryRun ? 'actions.dryRunSync' : 'actions.sync');
  if (action.type === 'refresh')
    return t(action.hard ? 'actions.hardRefresh' : 'actions.refresh');
  return t('actions.terminate');
}

const OPTION_WORDS = [
  'prune',
  'force',
  'applyOnly',
  'applyOutOfSyncOnly',
  'serverSideApply',
] as const;

function successMessage(
  t: GitOpsTranslate,
  action: Action,
  name: string,
): string {
  if (action.type === 'sync') {
    const { options } = action;
    const words: string[] = OPTION_WORDS.filter(o => options[o]).map(o =>
      t(`actions.optionWords.${o}`),
    );
    if (options.resources?.length)
      words.push(
        t('actions.selectedResources', {
          number: String(options.resources.length),
        }),
      );
    const withWords = { name, options: words.join(', ') };
    if (options.dryRun)
      return words.length
        ? t('actions.dryRunStartedWith', withWords)
        : t('actions.dryRunStarted', { name });
    return words.length
      ? t('actions.syncStartedWith', withWords)
      : t('actions.syncStarted', { name });
  }
  if (action.type === 'refresh')
    return t('actions.refreshRequested', {
      action: actionName(t, action),
      name,
    });
  return t('actions.terminateRequested', { name });
}
