import { formatRelative, formatUtc } from '../../lib/relativeTime';

/**
 * The one way the plugin shows a point in time: relative ("5 minutes ago"), with the absolute
 * UTC time as a tooltip and in the `datetime` attribute. `fallback` shows when there is no
 * time (e.g. "never").
 */
export function RelativeTime(props: {
  time?: string;
  now: number;
  /** Text before the relative time, e.g. "synced ". */
  prefix?: string;
  fallback?: string;
  testId?: string;
}) {
  const { time, now, prefix = '', fallback, testId } = props;
  const relative = formatRelative(time, now);
  const absolute = formatUtc(time);
  if (!time || !relative || !absolute) {
    return fallback ? <span data-testid={testId}>{fallback}</span> : null;
  }
  return (
    <time
      dateTime={time}
      title={absolute}
      data-testid={testId}
      style={{ whiteSpace: 'nowrap' }}
    >
      {prefix}
      {relative}
    </time>
  );
}
