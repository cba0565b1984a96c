const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** A DORA duration in the unit a person reads it: "45 min", "1.5 h", "2.3 d"; "—" when unknown. */
export function formatDoraDuration(ms: number | undefined): string {
  if (ms === undefined) return '—';
  if (ms < HOUR) return `${Math.round(ms / MIN)} min`;
  if (ms < DAY) return `${Math.round((ms / HOUR) * 10) / 10} h`;
  return `${Math.round((ms / DAY) * 10) / 10} d`;
}

/** A change failure rate as a whole percentage; "—" when no change was decided. */
export function formatRate(rate: number | undefined): string {
  return rate === undefined ? '—' : `${Math.round(rate * 100)}%`;
}

/** Deployments per week with one decimal ("0.5 / week"). */
export function formatPerWeek(perWeek: number | undefined): string {
  return `${Math.round((perWeek ?? 0) * 10) / 10} / week`;
}
