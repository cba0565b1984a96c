import { ReactNode } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { gitOpsTranslationRef } from '../../translation';

/** Asks before a destructive action or any action on production. */
export function ConfirmActionDialog(props: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Keeps the confirm button disabled, e.g. until a required acknowledgement is given. */
  confirmDisabled?: boolean;
  onConfirm(): void;
  onCancel(): void;
}) {
  const {
    open,
    title,
    children,
    confirmLabel,
    confirmDisabled,
    onConfirm,
    onCancel,
  } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  return (
    <Dialog
      open={open}
      onClose={onCancel}
      aria-labelledby="gitops-confirm-title"
    >
      <DialogTitle id="gitops-confirm-title">{title}</DialogTitle>
      <DialogContent>{children}</DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>{t('dialog.cancel')}</Button>
        <Button
          onClick={onConfirm}
          color="secondary"
          variant="contained"
          disabled={confirmDisabled}
        >
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
