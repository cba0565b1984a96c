import { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import WarningIcon from '@material-ui/icons/Warning';
import { makeStyles } from '@material-ui/core/styles';
import { Link } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type {
  ResultHighlight,
  SearchDocument,
} from '@backstage/plugin-search-common';
import { HighlightedSearchResultText } from '@backstage/plugin-search-react';
import type {
  HealthStatusValue,
  SyncStatusValue,
} from '@kupe/plugin-gitops-common';
import { HealthStatusChip } from '../components/status/HealthStatusChip';
import { SyncStatusChip } from '../components/status/SyncStatusChip';
import { gitOpsTranslationRef } from '../translation';

/**
 * The fields of an `argocd-application` search document this item shows (the collator's
 * `ArgoCdApplicationDocument`); `''` stands for an unknown value.
 */
type ArgoCdApplicationSearchDocument = SearchDocument & {
  tenant?: string;
  environment?: string;
  cluster?: string;
  namespace?: string;
  instance?: string;
  syncStatus?: string;
  healthStatus?: string;
  /** The quarantined versions the app runs, comma-separated; `''` when none. */
  quarantinedVersions?: string;
};

/**
 * Props of the `argocd-application` search result item, as the search page passes them.
 *
 * @public
 */
export interface ArgoCdApplicationSearchResultListItemProps {
  result?: SearchDocument;
  highlight?: ResultHighlight;
  rank?: number;
  icon?: ReactNode;
}

const useStyles = makeStyles(
  theme => ({
    item: { display: 'flex', width: '100%' },
    body: { flex: 1, minWidth: 0 },
    text: { wordBreak: 'break-word', margin: 0 },
    chips: {
      display: 'flex',
      flexWrap: 'wrap',
      gap: theme.spacing(1),
      marginTop: theme.spacing(1),
      marginBottom: theme.spacing(1),
    },
    facts: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(2) },
    // The warning colour on the icon and the border; the text keeps the primary colour,
    // as the theme's warning orange on the search page's grey falls short of 4.5:1.
    quarantined: { borderColor: theme.palette.warning.main },
    quarantinedIcon: { color: theme.palette.warning.main },
  }),
  { name: 'KupeArgoCdApplicationSearchResultListItem' },
);

/**
 * Only the lines of the document text with a match: the text lists every field of the app
 * (repository, images, ...), of which the matching ones tell why the app was found.
 */
function matchingLines(highlight: ResultHighlight): string | undefined {
  const text = highlight.fields.text;
  if (!text) return undefined;
  const lines = text
    .split('\n')
    .filter(line => line.includes(highlight.preTag));
  return lines.length > 0 ? lines.join(' · ') : undefined;
}

// Text in the primary colour throughout: the search page lays results on the page's grey
// background, where the theme's secondary text colour falls short of 4.5:1 (axe:
// color-contrast). The label's weight sets it apart from the value instead.
function Fact(props: { label: string; value: string }) {
  return (
    <Typography component="span" variant="body2" color="textPrimary">
      <span style={{ fontWeight: 500 }}>{props.label}:</span> {props.value}
    </Typography>
  );
}

/**
 * A search result of type `argocd-application`: the app's name linking to where it is
 * managed (the owning entity's GitOps tab, else the Argo CD UI), where it runs, whose it is,
 * its sync and health, and the matching part of its text.
 *
 * @public
 */
export function ArgoCdApplicationSearchResultListItem(
  props: ArgoCdApplicationSearchResultListItemProps,
) {
  const classes = useStyles();
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const { highlight, icon } = props;
  const result = props.result as ArgoCdApplicationSearchDocument | undefined;
  if (!result) return null;

  const place = [result.cluster, result.namespace].filter(Boolean).join(' / ');
  const matches = highlight && matchingLines(highlight);
  const quarantined = (result.quarantinedVersions ?? '')
    .split(',')
    .map(version => version.trim())
    .filter(Boolean)
    .join(', ');

  return (
    <div className={classes.item} data-testid="argocd-application-result">
      {icon && <ListItemIcon>{icon}</ListItemIcon>}
      <div className={classes.body}>
        <ListItemText
          className={classes.text}
          primaryTypographyProps={{ variant: 'h6' }}
          primary={
            <Link noTrack to={result.location}>
              {highlight?.fields.title ? (
                <HighlightedSearchResultText
                  text={highlight.fields.title}
                  preTag={highlight.preTag}
                  postTag={highlight.postTag}
                />
              ) : (
                result.title
              )}
            </Link>
          }
          secondaryTypographyProps={{ component: 'div' }}
          secondary={
            <span className={classes.facts}>
              {result.environment && (
                <Fact
                  label={t('search.environment')}
                  value={result.environment}
                />
              )}
              {place && <Fact label={t('search.cluster')} value={place} />}
              {result.tenant && (
                <Fact label={t('search.tenant')} value={result.tenant} />
              )}
            </span>
          }
        />
        <Box className={classes.chips}>
          <SyncStatusChip
            status={(result.syncStatus ?? '') as SyncStatusValue}
          />
          <HealthStatusChip
            status={
              (result.healthStatus || undefined) as
                | HealthStatusValue
                | undefined
            }
          />
          {quarantined && (
            <Chip
              size="small"
              variant="outlined"
              className={classes.quarantined}
              icon={<WarningIcon className={classes.quarantinedIcon} />}
              label={t('search.quarantined', { versions: quarantined })}
              title={t('search.quarantinedTitle', { versions: quarantined })}
              data-testid="argocd-application-result-quarantined"
            />
          )}
        </Box>
        {matches && highlight && (
          <Typography
            variant="body2"
            color="textPrimary"
            data-testid="argocd-application-result-match"
          >
            <HighlightedSearchResultText
              text={matches}
              preTag={highlight.preTag}
              postTag={highlight.postTag}
            />
          </Typography>
        )}
      </div>
    </div>
  );
}
