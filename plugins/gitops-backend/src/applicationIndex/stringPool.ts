/**
 * Fields whose value one app alone holds, once in its record (a source's `path`, as
 * `apps/<component>/<environment>`): pooled, each would only add an entry, about 45 bytes,
 * that outlives the record until the next listing.
 */
const UNPOOLED = new Set(['path']);

const NO_STRINGS: readonly string[] = Object.freeze([]);
/** Lists kept per first string: lists that start alike are compared one by one. */
const MAX_LISTS_PER_FIRST = 8;

/**
 * One copy of each string value the index's records repeat: parsed JSON gives every app its
 * own copy of the same repository URL, image, revision, timestamp or status, several times
 * within one record too (a revision is the sync's, the operation's and the deployed one).
 */
export class StringPool {
  #strings = new Map<string, string>();
  /**
   * Lists of strings by their first (pooled) string, so that finding one builds no key:
   * records of one listing share each equal list.
   */
  #lists = new Map<string, Array<readonly string[]>>();
  /** Whether the previous record's kept values join the pool (`forOneRecord`). */
  readonly #adoptKept: boolean;

  constructor(options?: { adoptKept?: boolean }) {
    this.#adoptKept = options?.adoptKept ?? false;
  }

  /**
   * A pool for one record built without a shared pool (an event outside a listing): the
   * values it keeps from the record it replaces join the pool, so a value the event brings
   * in another field (the deployed revision, equal to the synced one the record kept) is
   * that same copy. A shared pool does not take them: each kept value would add an entry.
   */
  static forOneRecord(): StringPool {
    return new StringPool({ adoptKept: true });
  }

  get size(): number {
    return this.#strings.size;
  }

  intern(value: string): string {
    const held = this.#strings.get(value);
    if (held !== undefined) return held;
    this.#strings.set(value, value);
    return value;
  }

  /**
   * One frozen copy of each list of strings (a record's images, its revisions), its strings
   * pooled: apps that run the same images share one array, as they share the strings.
   */
  internList(
    list: readonly string[],
    previous?: readonly unknown[],
  ): readonly string[] {
    if (list.length === 0) return NO_STRINGS;
    const first = this.intern(list[0]);
    const lists = this.#lists.get(first);
    const held = lists?.find(candidate => sameStrings(candidate, list));
    if (held !== undefined) return held;
    const pooled = Object.freeze(
      list.map((value, i) =>
        previous?.[i] === value ? (previous[i] as string) : this.intern(value),
      ),
    );
    if (!lists) this.#lists.set(first, [pooled]);
    else if (lists.length < MAX_LISTS_PER_FIRST) lists.push(pooled);
    return pooled;
  }

  /**
   * Replaces, in place, every string value of a freshly built record (its objects and arrays
   * too) with the copy `previous` (the app's record it replaces) holds at the same place when
   * the value is the same, else with the pool's copy, but for the `UNPOOLED` fields; a list of
   * strings likewise, whole (`internList`: shared and frozen). Property names need none: V8
   * internalizes them.
   *
   * Taking the previous record's copy first keeps an app's unchanged values (its name, which
   * is also its key in the index's maps, its path, its images) one string however many events
   * rebuild its record, and adds no entry to the pool for them.
   */
  internValues<T extends object>(record: T, previous?: T): T {
    const visit = (
      holder: Record<string, unknown>,
      before: Record<string, unknown> | undefined,
    ) => {
      for (const key of Object.keys(holder)) {
        const value = holder[key];
        const was = before?.[key];
        if (typeof value === 'string') {
          if (was === value) {
            holder[key] = was;
            if (this.#adoptKept && !this.#strings.has(was))
              this.#strings.set(was, was);
          } else if (!UNPOOLED.has(key)) holder[key] = this.intern(value);
        } else if (isStringList(value))
          holder[key] = sameList(value, was)
            ? was
            : this.internList(value, Array.isArray(was) ? was : undefined);
        else if (value && typeof value === 'object')
          visit(
            value as Record<string, unknown>,
            was && typeof was === 'object'
              ? (was as Record<string, unknown>)
              : undefined,
          );
      }
    };
    visit(
      record as Record<string, unknown>,
      previous as Record<string, unknown> | undefined,
    );
    return record;
  }
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(item => typeof item === 'string');
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/** An unchanged list of the previous record: shared (frozen), so kept as it is. */
function sameList(list: readonly string[], other: unknown): other is string[] {
  return (
    Array.isArray(other) && Object.isFrozen(other) && sameStrings(other, list)
  );
}
