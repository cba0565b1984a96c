/**
 * Fields whose value one app alone holds, once in its record (a source's `path`, as
 * `apps/<component>/<environment>`): pooled, each would only add an entry, about 45 bytes,
 * that outlives the record until the next listing.
 */
const UNPOOLED = new Set(['path']);

/**
 * One copy of each string value the index's records repeat: parsed JSON gives every app its
 * own copy of the same repository URL, image, revision, timestamp or status, several times
 * within one record too (a revision is the sync's, the operation's and the deployed one).
 */
export class StringPool {
  #strings = new Map<string, string>();
  /** Lists of strings by their JSON text: records of one listing share each equal list. */
  #lists = new Map<string, readonly string[]>();

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
    const text = JSON.stringify(list);
    const held = this.#lists.get(text);
    if (held !== undefined) return held;
    const pooled = Object.freeze(
      list.map((value, i) =>
        previous?.[i] === value ? (previous[i] as string) : this.intern(value),
      ),
    );
    this.#lists.set(text, pooled);
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
          if (was === value) holder[key] = was;
          else if (!UNPOOLED.has(key)) holder[key] = this.intern(value);
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

function sameList(list: readonly string[], other: unknown): other is string[] {
  return (
    Array.isArray(other) &&
    Object.isFrozen(other) &&
    other.length === list.length &&
    other.every((item, i) => item === list[i])
  );
}
