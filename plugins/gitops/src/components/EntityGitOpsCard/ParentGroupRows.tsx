import { useState } from 'react';
import Button from '@material-ui/core/Button';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import ChevronRightIcon from '@material-ui/icons/ChevronRight';
import { makeStyles } from '@material-ui/core/styles';
import { normalizeEnvironment, rollUp } from '@kupe/plugin-gitops-common';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { ParentGroup } from '../../lib/parentGroups';
import { gitOpsTranslationRef } from '../../translation';
import { toRollupInput } from '../../lib/rollupInput';
import { NameText } from '../common/NameText';
import { RollupStatusChip } from '../status/RollupStatusChip';
import { ApplicationRow } from './ApplicationRow';

const useStyles = makeStyles(theme => ({
  kind: {
    verticalAlign: 'top',
    padding: theme.spacing(0.75, 1),
    whiteSpace: 'nowrap',
    fontWeight: 500,
  },
  cell: { verticalAlign: 'top', padding: theme.spacing(0.75, 1) },
  toggle: { textTransform: 'none', justifyContent: 'flex-start', padding: 0 },
  env: {
    padding: theme.spacing(0.75, 1),
    textTransform: 'capitalize',
    color: theme.palette.text.secondary,
  },
}));

/**
 * The applications of one ApplicationSet or app of apps as one line (the parent's name, how
 * many, their worst sync and health) that opens into a row per member.
 */
export function ParentGroupRows(props: { group: ParentGroup; now: number }) {
  const { group, now } = props;
  const classes = useStyles();
  const [open, setOpen] = useState(false);
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const kind = t(`parents.kind.${group.parent.kind}`);
  const membersId = `gitops-members-${group.key.replace(/[^\w-]/g, '-')}`;
  return (
    <TableBody
      aria-label={t('parents.groupLabel', { kind, name: group.parent.name })}
      data-testid="gitops-parent-group"
    >
      <TableRow>
        <TableCell component="th" scope="row" className={classes.kind}>
          {kind}
        </TableCell>
        <TableCell className={classes.cell}>
          <Button
            className={classes.toggle}
            aria-expanded={open}
            aria-controls={open ? membersId : undefined}
            startIcon={open ? <ExpandMoreIcon /> : <ChevronRightIcon />}
            onClick={() => setOpen(o => !o)}
          >
            <span>
              <Typography variant="body2" component="span">
                <NameText text={group.parent.name} />
              </Typography>
              <Typography
                variant="caption"
                color="textSecondary"
                component="span"
                display="block"
                align="left"
              >
                {t('parents.members', { count: group.members.length })}
              </Typography>
            </span>
          </Button>
        </TableCell>
        <TableCell className={classes.cell} colSpan={3}>
          <RollupStatusChip rollup={rollUp(group.members.map(toRollupInput))} />
        </TableCell>
      </TableRow>
      {open &&
        group.members.map((app, i) => (
          <ApplicationRow
            key={`${app.appNamespace}/${app.name}`}
            app={app}
            now={now}
            environmentCell={
              <TableCell
                className={classes.env}
                id={i === 0 ? membersId : undefined}
              >
                {app.environment ? normalizeEnvironment(app.environment) : ''}
              </TableCell>
            }
          />
        ))}
    </TableBody>
  );
}
