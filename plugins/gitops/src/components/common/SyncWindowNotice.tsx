import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type {
  ApplicationSyncWindows,
  SyncWindowSummary,
} from '@kupe/plugin-gitops-common';
import {
  scheduleText,
  windowName,
  windowSentence,
  windowTime,
} from '../../lib/syncWindowWords';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { formatRelative } from '../../lib/relativeTime';
import { type GitOpsTranslate, gitOpsTranslationRef } from '../../translation';

const sentences = (
  t: GitOpsTranslate,
  windows: SyncWindowSummary[],
  now: number,
) => windows.map(w => windowSentence(t, w, now)).join('; ');

/**
 * Why Argo CD refuses a sync now, in words ("Sync blocked by a deny window: Change freeze
 * until Fri 18:00 UTC (in 6 hours), recurring daily at 22:00 UTC"); undefined when it would
 * sync (or the windows are unknown: then Argo CD has the last word when someone syncs).
 */
export function syncBlockedReason(
  t: GitOpsTranslate,
  windows: ApplicationSyncWindows | undefined,
  now: number = Date.now(),
): string | undefined {
  if (!windows || windows.canSync !== false) return undefined;
  const denies = windows.active.filter(w => w.kind === 'deny' && !w.manualSync);
  if (denies.length > 0) {
    return t('syncWindowWords.blockedByDeny', {
      windows: sentences(t, denies, now),
    });
  }
  const closedAllows = windows.assigned.filter(
    w => w.kind === 'allow' && !w.active,
  );
  if (closedAllows.length > 0) {
    return t('syncWindowWords.blockedUntilAllow', {
      windows: sentences(t, closedAllows, now),
    });
  }
  return t('syncWindowWords.blockedByProject');
}

/** A sync that may run only because it is manual: say which window would stop automation. */
function manualOnlyText(
  t: GitOpsTranslate,
  windows: ApplicationSyncWindows,
  now: number,
): string | undefined {
  if (windows.canSync !== true) return undefined;
  const manualDenies = windows.active.filter(w => w.kind === 'deny');
  if (manualDenies.length > 0) {
    return t('syncWindowWords.manualOnlyDeny', {
      windows: sentences(t, manualDenies, now),
    });
  }
  const allows = windows.assigned.filter(w => w.kind === 'allow');
  if (allows.length > 0 && !allows.some(w => w.active)) {
    return t('syncWindowWords.manualOnlyNoAllow', {
      windows: sentences(t, allows, now),
    });
  }
  return undefined;
}

function windowState(
  t: GitOpsTranslate,
  window: SyncWindowSummary,
  now: number,
): string {
  if (window.active) {
    return window.activeUntil
      ? t('syncWindowWords.openUntil', {
          time: windowTime(window.activeUntil, now),
          relative: formatRelative(window.activeUntil, now) ?? '',
        })
      : t('syncWindowWords.openForever');
  }
  return window.nextStart
    ? t('syncWindowWords.closedOpens', {
        time: windowTime(window.nextStart, now),
        relative: formatRelative(window.nextStart, now) ?? '',
      })
    : t('syncWindowWords.closed');
}

/**
 * What the project's sync windows mean for this app now: blocked (and until when), allowed
 * only manually, or unknown; then every window that applies, its schedule in words (the cron
 * expression as tooltip). Nothing when none applies.
 */
export function SyncWindowNotice(props: {
  appName: string;
  windows: ApplicationSyncWindows;
  now?: number;
}) {
  const { appName, windows } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const now = props.now ?? Date.now();
  if (windows.error) {
    return (
      <Alert severity="info" role="status" data-testid="sync-windows">
        {t('syncWindows.unreadable', { name: appName })}
      </Alert>
    );
  }
  if (windows.assigned.length === 0) return null;
  const blocked = syncBlockedReason(t, windows, now);
  const manualOnly = manualOnlyText(t, windows, now);
  return (
    <Box data-testid="sync-windows" mt={1}>
      {blocked && <Alert severity="warning">{blocked}</Alert>}
      {manualOnly && (
        <Alert severity="info" role="status">
          {manualOnly}
        </Alert>
      )}
      <Typography
        variant="body2"
        color="textSecondary"
        component="ul"
        aria-label={t('syncWindows.listLabel', { name: appName })}
        style={{ margin: '4px 0', paddingLeft: 20 }}
      >
        {windows.assigned.map((w, i) => (
          <li
            key={i}
            title={`${w.kind} ${w.schedule} for ${w.duration}${
              w.timeZone ? ` (${w.timeZone})` : ''
            }`}
          >
            {t(
              w.manualSync
                ? 'syncWindowWords.windowManual'
                : 'syncWindowWords.window',
              {
                name: windowName(t, w),
                kind: t(
                  w.kind === 'deny'
                    ? 'syncWindowWords.deny'
                    : 'syncWindowWords.allow',
                ),
                schedule: scheduleText(t, w),
                state: windowState(t, w, now),
              },
            )}
          </li>
        ))}
      </Typography>
    </Box>
  );
}
