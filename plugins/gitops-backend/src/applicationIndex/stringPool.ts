/**
 * One copy of each string value the index's records repeat: parsed JSON gives every app its
 * own copy of the same repository URL, image, revision, timestamp or status, several times
 * within one record too (a revision is the sync's, the operation's and the deployed one).
 */
/**
 * Fields whose value one app alone holds, once in its record (a source's `path`, as
 * `apps/<component>/<environment>`): pooled, each would only add an entry, about 45 bytes,
 * that outlives the record until the next listing.
 */
const UNPOOLED = new Set(['path']);

export class StringPool {
  #strings = new Map<string, string>();

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
   * Replaces, in place, every string value of a freshly built record (its objects and arrays
   * too) with the pool's copy, but for the `UNPOOLED` fields. Property names need none: V8
   * internalizes them.
   */
  internValues<T extends object>(record: T): T {
    const visit = (holder: Record<string, unknown> | unknown[]) => {
      for (const key of Object.keys(holder)) {
        const value = (holder as Record<string, unknown>)[key];
        if (typeof value === 'string') {
          if (!UNPOOLED.has(key))
            (holder as Record<string, unknown>)[key] = this.intern(value);
        } else if (value && typeof value === 'object')
          visit(value as Record<string, unknown>);
      }
    };
    visit(record as Record<string, unknown>);
    return record;
  }
}
