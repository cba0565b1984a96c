import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles({
  name: {
    display: 'inline-block',
    maxWidth: '100%',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    verticalAlign: 'bottom',
  },
});

/**
 * A name (application, destination, image) that never breaks inside: it stays on one line
 * and, when its column is too narrow, ends in an ellipsis with the whole name as tooltip.
 * The text itself is unchanged, so it copies and searches as it is.
 */
export function NameText(props: { text: string; testId?: string }) {
  const classes = useStyles();
  return (
    <span
      className={classes.name}
      title={props.text}
      data-testid={props.testId}
    >
      {props.text}
    </span>
  );
}
