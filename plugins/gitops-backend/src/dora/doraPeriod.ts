import { InputError } from '@backstage/errors';

const DAY_MS = 24 * 60 * 60 * 1000;
/** At most a year (a leap year's 366 days) per request. */
export const MAX_DORA_DAYS = 366;
const DEFAULT_DAYS = 30;

/** The query of a DORA route: `days`, or `from` with an optional `to` (default now). */
export interface DoraPeriodQuery {
  from?: string;
  to?: string;
  days?: number | string;
}

function parseTime(name: string, value: string): number {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new InputError(`${name} is not a date-time`);
  return t;
}

/**
 * The period `[from, to)` a request asks for: `days` back from `to` (or now), or `from`..`to`;
 * 30 days when neither is given. Refuses both at once, an empty period, one in the future
 * and one longer than {@link MAX_DORA_DAYS}.
 */
export function parseDoraPeriod(
  query: DoraPeriodQuery,
  now: number,
): { from: number; to: number } {
  const to = query.to === undefined ? now : parseTime('to', query.to);
  if (query.days !== undefined && query.from !== undefined) {
    throw new InputError('Give either days or from, not both');
  }
  if (to > now + 60_000) throw new InputError('to is in the future');
  let from: number;
  if (query.from !== undefined) {
    from = parseTime('from', query.from);
  } else {
    const days = query.days === undefined ? DEFAULT_DAYS : Number(query.days);
    if (!Number.isInteger(days) || days < 1 || days > MAX_DORA_DAYS) {
      throw new InputError(
        `days must be a whole number from 1 to ${MAX_DORA_DAYS}`,
      );
    }
    from = to - days * DAY_MS;
  }
  if (from >= to) throw new InputError('from must be before to');
  if (to - from > MAX_DORA_DAYS * DAY_MS) {
    throw new InputError(`The period is longer than ${MAX_DORA_DAYS} days`);
  }
  return { from, to };
}
