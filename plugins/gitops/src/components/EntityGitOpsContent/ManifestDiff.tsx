import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { ManagedResource } from '@kupe/plugin-gitops-common';
import { lineDiff } from '../../lib/lineDiff';
import { type GitOpsTranslate, gitOpsTranslationRef } from '../../translation';

const useStyles = makeStyles(theme => ({
  pre: {
    margin: 0,
    padding: theme.spacing(1),
    overflowX: 'auto',
    fontSize: '0.8rem',
    background: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
  },
  added: { background: theme.palette.type === 'dark' ? '#1b3a24' : '#e6ffec' },
  removed: {
    background: theme.palette.type === 'dark' ? '#4b1f24' : '#ffebe9',
  },
  skipped: { color: theme.palette.text.secondary, fontStyle: 'italic' },
}));

/** Why a modified resource has no live or no desired manifest, if it lacks one. */
function missingManifestNote(
  t: GitOpsTranslate,
  resource: ManagedResource,
): string | undefined {
  if (!resource.liveManifest) return t('diff.notInCluster');
  if (!resource.desiredManifest) return t('diff.notInGit');
  return undefined;
}

/** Live (in the cluster) against desired (from Git), as a unified line diff. */
export function ManifestDiff(props: { resource: ManagedResource }) {
  const classes = useStyles();
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const { resource } = props;
  const title = `${resource.kind} ${
    resource.namespace ? `${resource.namespace}/` : ''
  }${resource.name}`;
  // The backend sends manifests only for modified resources, so absence means something
  // only for those.
  const note = resource.modified ? missingManifestNote(t, resource) : undefined;
  const lines = lineDiff(
    resource.liveManifest ?? '',
    resource.desiredManifest ?? '',
  );
  return (
    <Box mb={2} data-testid="manifest-diff">
      <Typography variant="subtitle2" component="h4">
        {title}
      </Typography>
      {note && <Typography variant="body2">{note}</Typography>}
      {/* Focusable so keyboard users can scroll wide manifests sideways. */}
      <pre
        className={classes.pre}
        // A scrollable region must be focusable (axe: scrollable-region-focusable); role
        // "region" with a label makes that focus stop announce what it is.
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        tabIndex={0}
        role="region"
        aria-label={t('diff.label', { resource: title })}
      >
        {lines.map((line, index) => {
          switch (line.kind) {
            case 'added':
              return (
                <div
                  key={index}
                  className={classes.added}
                >{`+ ${line.text}`}</div>
              );
            case 'removed':
              return (
                <div
                  key={index}
                  className={classes.removed}
                >{`- ${line.text}`}</div>
              );
            case 'skipped':
              return (
                <div key={index} className={classes.skipped}>
                  {t('diff.unchanged', { count: line.count })}
                </div>
              );
            default:
              return <div key={index}>{`  ${line.text}`}</div>;
          }
        })}
      </pre>
    </Box>
  );
}
