import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import ChevronRightIcon from '@material-ui/icons/ChevronRight';
import { makeStyles } from '@material-ui/core/styles';
import {
  type ApplicationSummary,
  normalizeEnvironment,
  rollUp,
} from '@kupe/plugin-gitops-common';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { ParentGroup } from '../../lib/parentGroups';
import { gitOpsTranslationRef } from '../../translation';
import { toRollupInput } from '../../lib/rollupInput';
import { appKey } from '../../lib/environmentGroups';
import { RollupStatusChip } from '../status/RollupStatusChip';
import { SyncStatusChip } from '../status/SyncStatusChip';
import { HealthStatusChip } from '../status/HealthStatusChip';
import { NameText } from '../common/NameText';
import { ApplicationSetStatus } from './ApplicationSetStatus';
import { panelId } from './EnvironmentOverview';

const useStyles = makeStyles(theme => ({
  group: { padding: theme.spacing(1, 2), marginBottom: theme.spacing(1) },
  toggle: { textTransform: 'none', padding: theme.spacing(0.5, 1) },
  table: { '& th, & td': { wordBreak: 'normal', overflowWrap: 'normal' } },
  env: { textTransform: 'capitalize' },
  chips: { display: 'flex', gap: 4, flexWrap: 'nowrap' },
}));

/** What changes when the set's members do: reloads the set's status with them. */
const membersVersion = (members: ApplicationSummary[]) =>
  members
    .map(m => `${m.name}:${m.sync.status}:${m.health.status ?? ''}`)
    .join(',');

function Group(props: {
  group: ParentGroup;
  open: ReadonlySet<string>;
  onToggle(app: ApplicationSummary): void;
  now: number;
}) {
  const { group, open, onToggle, now } = props;
  const classes = useStyles();
  const [expanded, setExpanded] = useState(false);
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const kind = t(`parents.kind.${group.parent.kind}`);
  const bodyId = `gitops-group-${group.key.replace(/[^\w-]/g, '-')}`;
  return (
    <Paper
      variant="outlined"
      className={classes.group}
      component="section"
      aria-label={t('parents.groupLabel', { kind, name: group.parent.name })}
      data-testid="gitops-parent-section"
    >
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <Typography variant="subtitle1" component="h3">
          <Button
            className={classes.toggle}
            aria-expanded={expanded}
            aria-controls={expanded ? bodyId : undefined}
            startIcon={expanded ? <ExpandMoreIcon /> : <ChevronRightIcon />}
            onClick={() => setExpanded(e => !e)}
          >
            <NameText text={group.parent.name} />
          </Button>
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {kind} · {t('parents.members', { count: group.members.length })}
        </Typography>
        <RollupStatusChip rollup={rollUp(group.members.map(toRollupInput))} />
      </Box>
      {expanded && (
        <div id={bodyId}>
          <Table size="small" className={classes.table}>
            <TableBody>
              {group.members.map(app => (
                <TableRow key={appKey(app)} data-testid="gitops-member-row">
                  <TableCell>
                    <Button
                      className={classes.toggle}
                      aria-expanded={open.has(appKey(app))}
                      aria-controls={panelId(app)}
                      onClick={() => onToggle(app)}
                    >
                      <NameText text={app.name} />
                    </Button>
                  </TableCell>
                  <TableCell className={classes.env}>
                    {app.environment
                      ? normalizeEnvironment(app.environment)
                      : ''}
                  </TableCell>
                  <TableCell>
                    <div className={classes.chips}>
                      <SyncStatusChip status={app.sync.status} />
                      <HealthStatusChip status={app.health.status} />
                    </div>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Box mt={1}>
            {group.parent.kind === 'ApplicationSet' ? (
              <ApplicationSetStatus
                member={group.members[0]}
                version={membersVersion(group.members)}
                now={now}
              />
            ) : (
              <Typography variant="body2" color="textSecondary">
                {t('parents.children', { name: group.parent.name })}
              </Typography>
            )}
          </Box>
        </div>
      )}
    </Paper>
  );
}

/**
 * The entity's applications generated by an ApplicationSet or deployed by a parent app, one
 * line per parent (name, how many, worst sync and health) that opens into its members and,
 * for an ApplicationSet, the set's status, conditions and generator parameters.
 */
export function ParentGroupsSection(props: {
  groups: ParentGroup[];
  open: ReadonlySet<string>;
  onToggle(app: ApplicationSummary): void;
  now: number;
}) {
  const { groups, ...rest } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  if (groups.length === 0) return null;
  return (
    <Box component="section" aria-labelledby="gitops-sets-heading" mb={2}>
      <Typography variant="h6" component="h2" id="gitops-sets-heading">
        {t('parents.title')}
      </Typography>
      {groups.map(group => (
        <Group key={group.key} group={group} {...rest} />
      ))}
    </Box>
  );
}
