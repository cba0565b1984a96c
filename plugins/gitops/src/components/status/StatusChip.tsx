import { ReactElement } from 'react';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { gitOpsTranslationRef } from '../../translation';

export type StatusTone = 'ok' | 'warning' | 'error' | 'progress' | 'neutral';

const useStyles = makeStyles(theme => ({
  ok: { color: theme.palette.success.main },
  warning: { color: theme.palette.warning.main },
  error: { color: theme.palette.error.main },
  progress: { color: theme.palette.info.main },
  neutral: { color: theme.palette.text.secondary },
  visuallyHidden: {
    position: 'absolute',
    width: 1,
    height: 1,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
  },
}));

/**
 * A status as icon plus text: the word carries the meaning, the colour only repeats it, so
 * the state reads the same without colour vision. `title` names what the status is of, for
 * screen readers (visually hidden) and as a tooltip.
 */
export function StatusChip(props: {
  label: string;
  title: string;
  tone: StatusTone;
  icon: ReactElement<{ className?: string }>;
  testId?: string;
}) {
  const classes = useStyles();
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const { label, title, tone, icon, testId } = props;
  return (
    <Chip
      size="small"
      variant="outlined"
      label={
        <>
          <span className={classes.visuallyHidden}>
            {t('status.chipName', { title })}
          </span>
          {label}
        </>
      }
      title={t('status.chipTitle', { title, label })}
      icon={{ ...icon, props: { ...icon.props, className: classes[tone] } }}
      data-testid={testId}
    />
  );
}
