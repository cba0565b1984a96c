import { useEffect, useState } from 'react';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';

export interface SyncOptions {
  prune: boolean;
  dryRun: boolean;
}

/** Chooses prune and dry-run before a sync; both start off, the safe choice. */
export function SyncOptionsDialog(props: {
  open: boolean;
  appName: string;
  onSubmit(options: SyncOptions): void;
  onCancel(): void;
}) {
  const { open, appName, onSubmit, onCancel } = props;
  const [options, setOptions] = useState<SyncOptions>({
    prune: false,
    dryRun: false,
  });
  useEffect(() => {
    if (open) setOptions({ prune: false, dryRun: false });
  }, [open]);
  return (
    <Dialog open={open} onClose={onCancel} aria-labelledby="gitops-sync-title">
      <DialogTitle id="gitops-sync-title">Sync {appName}</DialogTitle>
      <DialogContent>
        <DialogContentText>
          Apply the desired state from Git to the cluster.
        </DialogContentText>
        <FormGroup>
          <FormControlLabel
            control={
              <Checkbox
                checked={options.prune}
                onChange={e =>
                  setOptions(o => ({ ...o, prune: e.target.checked }))
                }
              />
            }
            label="Prune: delete resources that are no longer in Git"
          />
          <FormControlLabel
            control={
              <Checkbox
                checked={options.dryRun}
                onChange={e =>
                  setOptions(o => ({ ...o, dryRun: e.target.checked }))
                }
              />
            }
            label="Dry run: only show what would change"
          />
        </FormGroup>
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>Cancel</Button>
        <Button
          onClick={() => onSubmit(options)}
          color="primary"
          variant="contained"
        >
          Start sync
        </Button>
      </DialogActions>
    </Dialog>
  );
}
