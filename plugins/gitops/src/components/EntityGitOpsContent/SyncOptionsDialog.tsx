import { useEffect, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import LinearProgress from '@material-ui/core/LinearProgress';
import Alert from '@material-ui/lab/Alert';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { SyncRequestBody } from '@kupe/plugin-gitops-common';
import { errorMessage } from '../../lib/errorMessage';
import { gitOpsTranslationRef } from '../../translation';

/** One resource a sync may be limited to. */
export interface SyncableResource {
  group?: string;
  kind: string;
  namespace?: string;
  name: string;
  /** OutOfSync: preselected when choosing resources. */
  modified: boolean;
}

/** The sync options the dialog offers, as the backend's sync request takes them. */
export type SyncOptions = Required<
  Pick<
    SyncRequestBody,
    | 'prune'
    | 'dryRun'
    | 'force'
    | 'applyOnly'
    | 'applyOutOfSyncOnly'
    | 'serverSideApply'
  >
> &
  Pick<SyncRequestBody, 'resources'>;

type Flag = Exclude<keyof SyncOptions, 'resources'>;

const NONE: SyncOptions = {
  prune: false,
  dryRun: false,
  force: false,
  applyOnly: false,
  applyOutOfSyncOnly: false,
  serverSideApply: false,
};

/** The options in the order Argo CD's sync panel lists them. */
const FLAGS: Flag[] = [
  'prune',
  'dryRun',
  'applyOnly',
  'force',
  'applyOutOfSyncOnly',
  'serverSideApply',
];

const keyOf = (r: SyncableResource) =>
  [r.group ?? '', r.kind, r.namespace ?? '', r.name].join('/');

/**
 * Chooses how to sync, as Argo CD's sync panel does: prune, dry run, apply only, force, apply
 * out of sync only, server-side apply, and optionally only some resources. Everything starts
 * off, the safe choice. Options the caller may not use here (force or prune in production
 * without their permission) are disabled with the reason, except in a dry run.
 */
export function SyncOptionsDialog(props: {
  open: boolean;
  appName: string;
  /** Why an option is not offered (no permission), by option. */
  unavailable?: Partial<Record<'force' | 'prune', string>>;
  loadResources(): Promise<SyncableResource[]>;
  onSubmit(options: SyncOptions): void;
  onCancel(): void;
}) {
  const { open, appName, unavailable = {}, loadResources } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const [options, setOptions] = useState<SyncOptions>(NONE);
  const [choosing, setChoosing] = useState(false);
  const [resources, setResources] = useState<SyncableResource[]>();
  const [loadError, setLoadError] = useState<string>();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  useEffect(() => {
    if (!open) return;
    setOptions(NONE);
    setChoosing(false);
    setResources(undefined);
    setLoadError(undefined);
  }, [open]);
  useEffect(() => {
    if (!choosing || resources) return undefined;
    let current = true;
    loadResources().then(
      items => {
        if (!current) return;
        setResources(items);
        setSelected(new Set(items.filter(r => r.modified).map(keyOf)));
      },
      e => current && setLoadError(errorMessage(e)),
    );
    return () => {
      current = false;
    };
  }, [choosing, resources, loadResources]);

  const chosen = (resources ?? []).filter(r => selected.has(keyOf(r)));
  const submit = () =>
    props.onSubmit({
      ...options,
      resources: choosing
        ? chosen.map(({ group, kind, namespace, name }) => ({
            group,
            kind,
            namespace,
            name,
          }))
        : undefined,
    });
  const setFlag = (flag: Flag, on: boolean) =>
    setOptions(o => {
      const next = { ...o, [flag]: on };
      // Leaving the dry run drops what only a dry run may use.
      if (!next.dryRun) {
        if (unavailable.force) next.force = false;
        if (unavailable.prune) next.prune = false;
      }
      return next;
    });
  const toggle = (key: string, on: boolean) =>
    setSelected(s => {
      const next = new Set(s);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });

  return (
    <Dialog
      open={open}
      onClose={props.onCancel}
      aria-labelledby="gitops-sync-title"
    >
      <DialogTitle id="gitops-sync-title">
        {t('syncDialog.title', { name: appName })}
      </DialogTitle>
      <DialogContent>
        <DialogContentText>{t('syncDialog.intro')}</DialogContentText>
        <FormGroup>
          {FLAGS.map(flag => {
            // A dry run changes nothing: it may simulate what the user may not do.
            const reason =
              (flag === 'force' || flag === 'prune') && !options.dryRun
                ? unavailable[flag]
                : undefined;
            return (
              <Box key={flag}>
                <FormControlLabel
                  control={
                    <Checkbox
                      checked={options[flag]}
                      disabled={reason !== undefined}
                      onChange={e => setFlag(flag, e.target.checked)}
                    />
                  }
                  label={t(`syncDialog.options.${flag}`)}
                />
                {reason && <FormHelperText>{reason}</FormHelperText>}
              </Box>
            );
          })}
          <FormControlLabel
            control={
              <Checkbox
                checked={choosing}
                onChange={e => setChoosing(e.target.checked)}
              />
            }
            label={t('syncDialog.onlySelected')}
          />
        </FormGroup>
        {choosing && (
          <Box ml={4} component="fieldset" border={0} p={0}>
            <FormLabel component="legend">
              {t('syncDialog.resourcesToSync')}
            </FormLabel>
            {!resources && !loadError && <LinearProgress />}
            {loadError && (
              <Alert severity="error">
                {t('syncDialog.loadFailed', { reason: loadError })}
              </Alert>
            )}
            <FormGroup>
              {(resources ?? []).map(r => (
                <FormControlLabel
                  key={keyOf(r)}
                  control={
                    <Checkbox
                      checked={selected.has(keyOf(r))}
                      onChange={e => toggle(keyOf(r), e.target.checked)}
                    />
                  }
                  label={`${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${
                    r.name
                  }${r.modified ? ` ${t('syncDialog.outOfSync')}` : ''}`}
                />
              ))}
            </FormGroup>
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onCancel}>{t('dialog.cancel')}</Button>
        <Button
          onClick={submit}
          color="primary"
          variant="contained"
          disabled={choosing && chosen.length === 0}
        >
          {t('syncDialog.start')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
