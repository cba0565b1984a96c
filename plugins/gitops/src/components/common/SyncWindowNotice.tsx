import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type {
  ApplicationSyncWindows,
  SyncWindowSummary,
} from '@kupe/plugin-gitops-common';
import { formatRelative } from '../../lib/relativeTime';

/** "27 Nov 2026, 06:00 UTC (in 7 hours)": absolute for the record, relative for the reader. */
export function formatWindowTime(iso: string, now: number = Date.now()) {
  const absolute = new Date(iso).toLocaleString('en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  });
  return `${absolute} UTC (${formatRelative(iso, now)})`;
}

/** `Change freeze (0 22 * * *, 8h)`, or just the schedule part when there is no description. */
export function windowLabel(window: SyncWindowSummary): string {
  const zone =
    window.timeZone && window.timeZone !== 'UTC' ? ` ${window.timeZone}` : '';
  const when = `(${window.schedule}, ${window.duration}${zone})`;
  return window.description ? `${window.description} ${when}` : when;
}

const joinLabels = (windows: SyncWindowSummary[]) =>
  windows.map(windowLabel).join('; ');

function untilText(windows: SyncWindowSummary[], now: number): string {
  const ends = windows.map(w => w.activeUntil);
  // One window without a foreseeable end keeps the block without one too.
  if (ends.some(e => !e)) return '';
  const last = (ends as string[]).sort().pop();
  return last ? `, until ${formatWindowTime(last, now)}` : '';
}

function nextStartText(windows: SyncWindowSummary[], now: number): string {
  const next = windows
    .map(w => w.nextStart)
    .filter((t): t is string => !!t)
    .sort()[0];
  return next ? `; the next opens ${formatWindowTime(next, now)}` : '';
}

/**
 * Why Argo CD refuses a sync now, in words; undefined when it would sync (or the windows are
 * unknown: then Argo CD has the last word when someone syncs).
 */
export function syncBlockedReason(
  windows: ApplicationSyncWindows | undefined,
  now: number = Date.now(),
): string | undefined {
  if (!windows || windows.canSync !== false) return undefined;
  const denies = windows.active.filter(w => w.kind === 'deny' && !w.manualSync);
  if (denies.length > 0) {
    return `Sync blocked by a deny window: ${joinLabels(denies)}${untilText(
      denies,
      now,
    )}`;
  }
  const closedAllows = windows.assigned.filter(
    w => w.kind === 'allow' && !w.active,
  );
  if (closedAllows.length > 0) {
    return `Sync blocked: no allow window is open: ${joinLabels(
      closedAllows,
    )}${nextStartText(closedAllows, now)}`;
  }
  return 'Sync blocked by a sync window of the project';
}

/** A sync that may run only because it is manual: say which window would stop automation. */
function manualOnlyText(
  windows: ApplicationSyncWindows,
  now: number,
): string | undefined {
  if (windows.canSync !== true) return undefined;
  const manualDenies = windows.active.filter(w => w.kind === 'deny');
  if (manualDenies.length > 0) {
    return `A deny window is open but allows manual syncs: ${joinLabels(
      manualDenies,
    )}${untilText(manualDenies, now)}. Automated syncs wait until it closes.`;
  }
  const allows = windows.assigned.filter(w => w.kind === 'allow');
  if (allows.length > 0 && !allows.some(w => w.active)) {
    return `No allow window is open, but manual syncs are allowed: ${joinLabels(
      allows,
    )}${nextStartText(allows, now)}. Automated syncs wait until one opens.`;
  }
  return undefined;
}

function windowState(window: SyncWindowSummary, now: number): string {
  if (window.active) {
    return window.activeUntil
      ? `open until ${formatWindowTime(window.activeUntil, now)}`
      : 'open';
  }
  return window.nextStart
    ? `opens ${formatWindowTime(window.nextStart, now)}`
    : 'closed';
}

/**
 * What the project's sync windows mean for this app now: blocked (and until when), allowed
 * only manually, or unknown; then every window that applies. Nothing when none applies.
 */
export function SyncWindowNotice(props: {
  appName: string;
  windows: ApplicationSyncWindows;
  now?: number;
}) {
  const { appName, windows } = props;
  const now = props.now ?? Date.now();
  if (windows.error) {
    return (
      <Alert severity="info" role="status" data-testid="sync-windows">
        Sync windows of {appName} are unknown ({windows.error}); Argo CD checks
        them when you sync.
      </Alert>
    );
  }
  if (windows.assigned.length === 0) return null;
  const blocked = syncBlockedReason(windows, now);
  const manualOnly = manualOnlyText(windows, now);
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
        aria-label={`Sync windows of ${appName}`}
        style={{ margin: '4px 0', paddingLeft: 20 }}
      >
        {windows.assigned.map((w, i) => (
          <li key={i}>
            {w.kind === 'deny' ? 'Deny' : 'Allow'} window {windowLabel(w)}
            {w.manualSync ? ', manual syncs allowed' : ''}:{' '}
            {windowState(w, now)}
          </li>
        ))}
      </Typography>
    </Box>
  );
}
