import Chip from '@material-ui/core/Chip';
import WarningIcon from '@material-ui/icons/Warning';
import ScheduleIcon from '@material-ui/icons/Schedule';
import type { ApplicationSummary } from '@kupe/plugin-gitops-common';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { formatAgo } from '../../lib/relativeTime';
import { gitOpsTranslationRef } from '../../translation';

/** OutOfSync longer than this is drift that nobody is fixing, worth a mark of its own. */
export const LONG_OUT_OF_SYNC_MS = 15 * 60_000;

export function outOfSyncForMs(
  app: ApplicationSummary,
  now: number,
): number | undefined {
  if (app.sync.status !== 'OutOfSync' || !app.outOfSyncSince) return undefined;
  const since = Date.parse(app.outOfSyncSince);
  return Number.isNaN(since) ? undefined : now - since;
}

export function isLongOutOfSync(app: ApplicationSummary, now: number): boolean {
  return (outOfSyncForMs(app, now) ?? 0) >= LONG_OUT_OF_SYNC_MS;
}

/** How old an app's stale data is, for "Stale data, 5 minutes old". */
export const staleAge = (app: ApplicationSummary) =>
  formatAgo(app.ageMs).replace(/ ago$/, '');

/** Marks that qualify the status chips: stale data and long-standing drift. */
export function ApplicationMarks(props: {
  app: ApplicationSummary;
  now: number;
}) {
  const { app, now } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const drift = outOfSyncForMs(app, now);
  return (
    <>
      {app.stale && (
        <Chip
          size="small"
          icon={<ScheduleIcon />}
          label={t('messages.stale', { age: staleAge(app) })}
          data-testid="stale-mark"
        />
      )}
      {drift !== undefined && drift >= LONG_OUT_OF_SYNC_MS && (
        <Chip
          size="small"
          icon={<WarningIcon />}
          label={t('messages.outOfSyncSince', { since: formatAgo(drift) })}
          data-testid="long-out-of-sync-mark"
        />
      )}
    </>
  );
}
