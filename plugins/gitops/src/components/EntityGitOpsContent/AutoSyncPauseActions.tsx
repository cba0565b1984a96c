import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  type ApplicationSummary,
  applicationResourceRef,
  gitOpsApplicationAutomationPermission,
} from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from '../../api/GitOpsApi';
import { errorMessage } from '../../lib/errorMessage';
import { gitOpsTranslationRef } from '../../translation';
import { ConfirmActionDialog } from './ConfirmActionDialog';

const MAX_REASON = 500;

/**
 * Pause auto-sync (with a required reason, asked in a dialog) or resume it, for an app whose
 * sync policy is automated, offered to users with `gitops.application.automation`. Not offered
 * when an ApplicationSet or a parent app owns the policy (it would turn auto-sync back on, and
 * the backend refuses): this says who manages it instead.
 */
export function AutoSyncPauseActions(props: {
  app: ApplicationSummary;
  onUpdated(summary: ApplicationSummary): void;
}) {
  const { app, onUpdated } = props;
  const api = useApi(gitOpsApiRef);
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const permission = usePermission({
    permission: gitOpsApplicationAutomationPermission,
    resourceRef: applicationResourceRef(app),
  });
  const [dialogOpen, setDialogOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<{
    severity: 'success' | 'error';
    message: string;
  }>();
  const paused = app.autoSyncPause !== undefined;
  // A manual app never synced by itself: nothing to pause.
  if (!paused && app.syncPolicy === 'manual') return null;
  if (permission.loading || !permission.allowed) return null;
  if (!paused && app.parent) {
    return (
      <Box mt={1}>
        <Typography variant="body2">
          {t('autoSyncPause.managedBy', {
            kind: app.parent.kind,
            parent: app.parent.name,
          })}
        </Typography>
      </Box>
    );
  }

  const ref = {
    instance: app.instance,
    appNamespace: app.appNamespace,
    name: app.name,
  };
  const run = async (
    send: () => ReturnType<typeof api.resumeAutoSync>,
    done: string,
    failed: (reason: string) => string,
  ) => {
    setRunning(true);
    setOutcome(undefined);
    try {
      onUpdated((await send()).summary);
      setOutcome({ severity: 'success', message: done });
    } catch (e) {
      setOutcome({
        severity: 'error',
        message: failed(errorMessage(e)),
      });
    } finally {
      setRunning(false);
    }
  };
  const trimmed = reason.trim();
  const reasonId = `gitops-pause-reason-${app.instance}-${app.appNamespace}-${app.name}`;

  return (
    <Box mt={1}>
      {paused ? (
        <Button
          variant="outlined"
          disabled={running}
          onClick={() =>
            run(
              () => api.resumeAutoSync(ref),
              t('autoSyncPause.resumed', { name: app.name }),
              cause =>
                t('autoSyncPause.resumeFailed', {
                  name: app.name,
                  reason: cause,
                }),
            )
          }
        >
          {t('autoSyncPause.resume')}
        </Button>
      ) : (
        <Button
          variant="outlined"
          disabled={running}
          onClick={() => {
            setReason('');
            setDialogOpen(true);
          }}
        >
          {t('autoSyncPause.pause')}
        </Button>
      )}
      {outcome && (
        <Box mt={1}>
          <Alert
            severity={outcome.severity}
            role={outcome.severity === 'error' ? 'alert' : 'status'}
            onClose={() => setOutcome(undefined)}
            data-testid="auto-sync-outcome"
          >
            {outcome.message}
          </Alert>
        </Box>
      )}
      <ConfirmActionDialog
        open={dialogOpen}
        title={t('autoSyncPause.pauseTitle', { name: app.name })}
        confirmLabel={t('autoSyncPause.pause')}
        confirmDisabled={trimmed === ''}
        onCancel={() => setDialogOpen(false)}
        onConfirm={() => {
          setDialogOpen(false);
          run(
            () => api.pauseAutoSync(ref, { reason: trimmed }),
            t('autoSyncPause.paused', { name: app.name }),
            cause =>
              t('autoSyncPause.pauseFailed', { name: app.name, reason: cause }),
          );
        }}
      >
        <Typography paragraph>
          {t('autoSyncPause.pauseNote', { name: app.name })}
        </Typography>
        <TextField
          id={reasonId}
          label={t('autoSyncPause.reason')}
          placeholder={t('autoSyncPause.reasonPlaceholder')}
          required
          fullWidth
          variant="outlined"
          value={reason}
          inputProps={{ maxLength: MAX_REASON }}
          onChange={e => setReason(e.target.value)}
        />
      </ConfirmActionDialog>
    </Box>
  );
}
