import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { ManagedResource } from '@kupe/plugin-gitops-common';
import { lineDiff } from '../../lib/lineDiff';

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

/** Live (in the cluster) against desired (from Git), as a unified line diff. */
export function ManifestDiff(props: { resource: ManagedResource }) {
  const classes = useStyles();
  const { resource } = props;
  const title = `${resource.kind} ${
    resource.namespace ? `${resource.namespace}/` : ''
  }${resource.name}`;
  // The backend sends manifests only for modified resources, so absence means something
  // only for those.
  const note = !resource.modified
    ? undefined
    : !resource.liveManifest
    ? 'Not in the cluster yet: a sync creates it.'
    : !resource.desiredManifest
    ? 'No longer in Git: a sync with prune deletes it.'
    : undefined;
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
        tabIndex={0}
        role="region"
        aria-label={`Diff of ${title} (minus: live, plus: desired)`}
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
                  {`… ${line.count} unchanged ${
                    line.count === 1 ? 'line' : 'lines'
                  }`}
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
