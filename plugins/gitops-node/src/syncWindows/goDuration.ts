const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Parses a Go duration (`time.ParseDuration`), the format of a sync window's `duration`:
 * a signed sequence of decimal numbers with units `ns`, `us`, `ms`, `s`, `m`, `h`, such as
 * `1h30m` or `1.5h`; `0` alone is allowed. No days. Returns milliseconds; throws otherwise.
 */
export function parseGoDuration(text: string): number {
  const invalid = () =>
    new Error(`time: invalid duration ${JSON.stringify(text)}`);
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw invalid();
  let total = 0;
  while (rest !== '') {
    const match = /^(\d*\.?\d*)([^\d.]*)/.exec(rest);
    const [whole, number, unit] = match ?? ['', '', ''];
    if (!number || number === '.') throw invalid();
    if (!unit) {
      throw new Error(`time: missing unit in duration ${JSON.stringify(text)}`);
    }
    const factor = UNIT_MS[unit];
    if (factor === undefined) {
      throw new Error(
        `time: unknown unit ${JSON.stringify(
          unit,
        )} in duration ${JSON.stringify(text)}`,
      );
    }
    total += Number(number) * factor;
    rest = rest.slice(whole.length);
  }
  return sign * total;
}
