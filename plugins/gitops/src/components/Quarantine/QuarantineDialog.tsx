import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { errorMessage } from '../../lib/errorMessage';
import { gitOpsTranslationRef } from '../../translation';

/**
 * Asks for what a quarantine or its lifting needs (a version and a reason, or a reason) and
 * runs `submit`; the backend's refusal (409 quarantined already, 403, 404) shows in the
 * dialog.
 */
export function QuarantineDialog(props: {
  open: boolean;
  title: string;
  description: string;
  /** With it, the dialog asks for the version too. */
  askVersion?: boolean;
  submitLabel: string;
  submit(input: { version: string; reason: string }): Promise<unknown>;
  onClose(done: boolean): void;
}) {
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const [version, setVersion] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const titleId = `quarantine-dialog-${props.askVersion ? 'add' : 'lift'}`;
  const ready =
    reason.trim().length > 0 && (!props.askVersion || version.trim());
  const close = (done: boolean) => {
    setVersion('');
    setReason('');
    setError(undefined);
    props.onClose(done);
  };
  const onSubmit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.submit({ version: version.trim(), reason: reason.trim() });
      close(true);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open={props.open}
      onClose={() => close(false)}
      aria-labelledby={titleId}
      maxWidth="sm"
      fullWidth
    >
      <DialogTitle id={titleId}>{props.title}</DialogTitle>
      <DialogContent>
        <DialogContentText>{props.description}</DialogContentText>
        {props.askVersion && (
          <TextField
            id={`${titleId}-version`}
            label={t('quarantine.versionField')}
            value={version}
            onChange={e => setVersion(e.target.value)}
            fullWidth
            margin="dense"
            required
          />
        )}
        <TextField
          id={`${titleId}-reason`}
          label={t('quarantine.reasonField')}
          value={reason}
          onChange={e => setReason(e.target.value)}
          fullWidth
          margin="dense"
          required
          multiline
        />
        {error && (
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={() => close(false)}>{t('dialog.cancel')}</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={!ready || busy}
          onClick={onSubmit}
        >
          {props.submitLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
