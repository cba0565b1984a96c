/**
 * A five-field cron schedule as Argo CD parses sync window schedules (robfig/cron v3 with
 * `Minute | Hour | Dom | Month | Dow`, no seconds, no `@daily`-style descriptors):
 * `*`, `?`, `a`, `a-b`, `*\/n`, `a/n`, `a-b/n` and comma lists; month and weekday names
 * (`jan`, `mon`); weekdays 0-6 with 0 = Sunday. As in robfig (and Vixie cron), day of month
 * and day of week are both required only when one of them is `*` or `?`; otherwise either
 * may match.
 *
 * Times are wall-clock times read through the UTC fields of a millisecond timestamp, which
 * is how Argo CD evaluates them (it shifts "now" by the window's time-zone offset first).
 */

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** robfig gives up after five years and returns Go's zero time. */
const SEARCH_DAYS = 5 * 366;

interface FieldBounds {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const MINUTE: FieldBounds = { name: 'minute', min: 0, max: 59 };
const HOUR: FieldBounds = { name: 'hour', min: 0, max: 23 };
const DOM: FieldBounds = { name: 'day of month', min: 1, max: 31 };
const MONTH: FieldBounds = {
  name: 'month',
  min: 1,
  max: 12,
  names: [
    'jan',
    'feb',
    'mar',
    'apr',
    'may',
    'jun',
    'jul',
    'aug',
    'sep',
    'oct',
    'nov',
    'dec',
  ],
};
const DOW: FieldBounds = {
  name: 'day of week',
  min: 0,
  max: 6,
  names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
};

interface Field {
  values: boolean[];
  /** Written as `*` or `?` (without a step above 1): matters for the day rule. */
  star: boolean;
}

function parseValue(text: string, bounds: FieldBounds): number {
  const index = bounds.names?.indexOf(text.toLowerCase()) ?? -1;
  if (index >= 0) return index + bounds.min;
  if (!/^\d+$/.test(text)) {
    throw new Error(`failed to parse int from ${text}`);
  }
  return Number(text);
}

function parseField(text: string, bounds: FieldBounds): Field {
  const values = new Array<boolean>(bounds.max + 1).fill(false);
  let star = false;
  for (const part of text.split(',')) {
    const [range, stepText, ...rest] = part.split('/');
    if (rest.length > 0) throw new Error(`too many slashes: ${part}`);
    let start: number;
    let end: number;
    let partStar = false;
    if (range === '*' || range === '?') {
      start = bounds.min;
      end = bounds.max;
      partStar = true;
    } else {
      const [low, high, ...more] = range.split('-');
      if (more.length > 0) throw new Error(`too many hyphens: ${part}`);
      start = parseValue(low, bounds);
      end = high === undefined ? start : parseValue(high, bounds);
    }
    let step = 1;
    if (stepText !== undefined) {
      step = parseValue(stepText, { name: 'step', min: 0, max: 0 });
      // `a/n` means a through the maximum.
      if (!partStar && !range.includes('-')) end = bounds.max;
      if (step > 1) partStar = false;
    }
    if (start < bounds.min) {
      throw new Error(
        `beginning of range (${start}) below minimum (${bounds.min}): ${part}`,
      );
    }
    if (end > bounds.max) {
      throw new Error(
        `end of range (${end}) above maximum (${bounds.max}): ${part}`,
      );
    }
    if (start > end) {
      throw new Error(
        `beginning of range (${start}) beyond end of range (${end}): ${part}`,
      );
    }
    if (step === 0)
      throw new Error(`step of range should be a positive number: ${part}`);
    for (let v = start; v <= end; v += step) values[v] = true;
    star = star || partStar;
  }
  return { values, star };
}

export class CronSchedule {
  readonly #minute: Field;
  readonly #hour: Field;
  readonly #dom: Field;
  readonly #month: Field;
  readonly #dow: Field;

  private constructor(fields: Field[]) {
    [this.#minute, this.#hour, this.#dom, this.#month, this.#dow] = fields;
  }

  /** Parses a schedule; throws an Error saying what is wrong. */
  static parse(spec: string): CronSchedule {
    const fields = spec.trim().split(/\s+/).filter(Boolean);
    if (fields.length !== 5) {
      throw new Error(
        `expected exactly 5 fields, found ${fields.length}: ${JSON.stringify(
          spec,
        )}`,
      );
    }
    return new CronSchedule([
      parseField(fields[0], MINUTE),
      parseField(fields[1], HOUR),
      parseField(fields[2], DOM),
      parseField(fields[3], MONTH),
      parseField(fields[4], DOW),
    ]);
  }

  #dayMatches(day: Date): boolean {
    if (!this.#month.values[day.getUTCMonth() + 1]) return false;
    const dom = this.#dom.values[day.getUTCDate()];
    const dow = this.#dow.values[day.getUTCDay()];
    return this.#dom.star || this.#dow.star ? dom && dow : dom || dow;
  }

  /** The first fire of the day starting at `dayStart` strictly after `time`. */
  #firstFireOn(dayStart: number, time: number): number | undefined {
    if (!this.#dayMatches(new Date(dayStart))) return undefined;
    for (let h = 0; h < 24; h++) {
      if (!this.#hour.values[h]) continue;
      for (let m = 0; m < 60; m++) {
        const fire = dayStart + (h * 60 + m) * MINUTE_MS;
        if (this.#minute.values[m] && fire > time) return fire;
      }
    }
    return undefined;
  }

  /** The last fire of the day starting at `dayStart` strictly before `time`. */
  #lastFireOn(dayStart: number, time: number): number | undefined {
    if (!this.#dayMatches(new Date(dayStart))) return undefined;
    for (let h = 23; h >= 0; h--) {
      if (!this.#hour.values[h]) continue;
      for (let m = 59; m >= 0; m--) {
        const fire = dayStart + (h * 60 + m) * MINUTE_MS;
        if (this.#minute.values[m] && fire < time) return fire;
      }
    }
    return undefined;
  }

  /** The first fire strictly after `time`, or undefined when none comes within five years. */
  next(time: number): number | undefined {
    const firstDay = Math.floor(time / DAY_MS) * DAY_MS;
    for (let d = 0; d <= SEARCH_DAYS; d++) {
      const fire = this.#firstFireOn(firstDay + d * DAY_MS, time);
      if (fire !== undefined) return fire;
    }
    return undefined;
  }

  /** The last fire strictly before `time`, or undefined when none came within five years. */
  previous(time: number): number | undefined {
    const lastDay = Math.floor(time / DAY_MS) * DAY_MS;
    for (let d = 0; d <= SEARCH_DAYS; d++) {
      const fire = this.#lastFireOn(lastDay - d * DAY_MS, time);
      if (fire !== undefined) return fire;
    }
    return undefined;
  }
}
