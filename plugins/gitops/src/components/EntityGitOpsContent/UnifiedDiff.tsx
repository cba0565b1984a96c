import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  pre: {
    margin: 0,
    padding: theme.spacing(1),
    overflowX: 'auto',
    maxHeight: 360,
    fontSize: '0.8rem',
    background: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
  },
  added: { background: theme.palette.type === 'dark' ? '#1b3a24' : '#e6ffec' },
  removed: {
    background: theme.palette.type === 'dark' ? '#4b1f24' : '#ffebe9',
  },
  header: { color: theme.palette.text.secondary, fontWeight: 'bold' },
}));

type LineKind = 'added' | 'removed' | 'header' | 'context';

/** What a line of `git diff` output is; file headers are not additions or removals. */
function lineKind(line: string): LineKind {
  if (
    line.startsWith('diff --git') ||
    line.startsWith('index ') ||
    line.startsWith('--- ') ||
    line.startsWith('+++ ') ||
    line.startsWith('@@') ||
    line.startsWith('new file mode') ||
    line.startsWith('deleted file mode')
  )
    return 'header';
  if (line.startsWith('+')) return 'added';
  if (line.startsWith('-')) return 'removed';
  return 'context';
}

/**
 * A unified diff as `git diff` writes it, with added and removed lines marked by colour as
 * well as by their `+`/`-` (so the meaning survives without colour).
 */
export function UnifiedDiff(props: { diff: string; label: string }) {
  const classes = useStyles();
  const lines = props.diff.replace(/\n$/, '').split('\n');
  return (
    <pre
      className={classes.pre}
      // Scrollable, so focusable (axe: scrollable-region-focusable) and announced as a region.
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
      tabIndex={0}
      role="region"
      aria-label={props.label}
      data-testid="unified-diff"
    >
      {lines.map((line, index) => {
        const kind = lineKind(line);
        return (
          <div
            key={index}
            className={kind === 'context' ? undefined : classes[kind]}
          >
            {line || ' '}
          </div>
        );
      })}
    </pre>
  );
}
