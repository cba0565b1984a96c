import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  type ApplicationHistoryEntry,
  type ApplicationSummary,
  applicationResourceRef,
  gitOpsApplicationRollbackPermission,
} from '@kupe/plugin-gitops-common';
import { gitOpsApiRef } from '../../api/GitOpsApi';
import { errorMessage } from '../../lib/errorMessage';
import { shortRevision } from '../../lib/commitUrl';
import { deployedRevisionOf } from '../../lib/revisions';
import { ConfirmActionDialog } from './ConfirmActionDialog';
import { RevertDialog } from './RevertDialog';
import { gitOpsTranslationRef } from '../../translation';

/**
 * A history row's rollback actions: "Roll back" (to this row) by Git revert for every app,
 * and Argo CD's own rollback next to it for manual-sync apps only (Argo CD refuses it for
 * auto-sync apps, whose next sync would undo it anyway). Nothing for the revision that runs,
 * nor for one whose own files are what runs (a later commit changed only other apps).
 */
export function HistoryRowActions(props: {
  app: ApplicationSummary;
  entry: ApplicationHistoryEntry;
}) {
  const { app, entry } = props;
  const api = useApi(gitOpsApiRef);
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const permission = usePermission({
    permission: gitOpsApplicationRollbackPermission,
    resourceRef: applicationResourceRef(app),
  });
  const [revertOpen, setRevertOpen] = useState(false);
  const [confirmRollback, setConfirmRollback] = useState(false);
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<
    { severity: 'success' | 'error'; message: string } | undefined
  >();

  const revision = entry.revision;
  // Nothing to roll back to where the app's own files are those that run now.
  if (!revision || revision === deployedRevisionOf(app) || entry.runsNow)
    return null;
  if (permission.loading || !permission.allowed) return null;
  const short = shortRevision(revision) ?? revision;
  const manual = app.syncPolicy === 'manual';

  const rollback = async () => {
    setConfirmRollback(false);
    setRunning(true);
    setOutcome(undefined);
    try {
      await api.rollback(
        {
          instance: app.instance,
          appNamespace: app.appNamespace,
          name: app.name,
        },
        { id: entry.id },
      );
      setOutcome({
        severity: 'success',
        message: t('history.argoCdRollbackStarted', {
          name: app.name,
          revision: short,
        }),
      });
    } catch (e) {
      setOutcome({
        severity: 'error',
        message: t('history.argoCdRollbackFailed', {
          name: app.name,
          reason: errorMessage(e),
        }),
      });
    } finally {
      setRunning(false);
    }
  };

  return (
    <Box
      display="flex"
      flexDirection="column"
      alignItems="flex-start"
      style={{ gap: 4, whiteSpace: 'nowrap' }}
    >
      {/* The visible words begin the accessible name (axe: label-content-name-mismatch). */}
      <Button
        size="small"
        variant="outlined"
        aria-label={t('history.rollBackLabel', {
          name: app.name,
          revision: short,
        })}
        onClick={() => setRevertOpen(true)}
      >
        {t('history.rollBack')}
      </Button>
      {manual && (
        <Button
          size="small"
          disabled={running}
          aria-label={t('history.argoCdRollbackLabel', {
            name: app.name,
            revision: short,
          })}
          onClick={() => setConfirmRollback(true)}
        >
          {t('history.argoCdRollback')}
        </Button>
      )}
      {outcome && (
        <Alert
          severity={outcome.severity}
          role={outcome.severity === 'error' ? 'alert' : 'status'}
          onClose={() => setOutcome(undefined)}
        >
          {outcome.message}
        </Alert>
      )}
      <RevertDialog
        app={app}
        toRevision={revision}
        open={revertOpen}
        onClose={() => setRevertOpen(false)}
      />
      <ConfirmActionDialog
        open={confirmRollback}
        title={t('history.argoCdRollbackTitle', {
          name: app.name,
          revision: short,
        })}
        confirmLabel={t('history.argoCdRollbackConfirm')}
        onCancel={() => setConfirmRollback(false)}
        onConfirm={rollback}
      >
        <Typography paragraph>
          {t('history.argoCdRollbackNote', {
            name: app.name,
            revision: short,
          })}
        </Typography>
      </ConfirmActionDialog>
    </Box>
  );
}
