import type { IndexedApplication } from '../applicationIndex/IndexedApplication';
import {
  type EntityApplicationSpec,
  matchesEntitySpec,
} from './entityApplicationSpec';

/**
 * Values (cached views, open event streams) by the entity spec they show, so that an index
 * change finds the values its apps concern without checking every value against every app:
 * with 200 open pages, a relist's change of 10,000 apps was two million spec checks, and
 * now is about one per app.
 *
 * A spec is filed under what an app must have for the spec to select it (see
 * {@link bucketsOf}); a spec with no such requirement is checked against every app.
 */
export class EntitySpecIndex<T> {
  readonly #buckets = new Map<string, Set<T>>();
  /** Values whose spec no bucket stands for (a selector without `=` or `in`). */
  readonly #unbucketed = new Set<T>();
  readonly #specs = new Map<
    T,
    { spec: EntityApplicationSpec; buckets: string[] | undefined }
  >();

  /** Files `value` under `spec`; a value already filed is filed again under the new spec. */
  add(value: T, spec: EntityApplicationSpec): void {
    this.delete(value);
    const buckets = bucketsOf(spec);
    this.#specs.set(value, { spec, buckets });
    if (!buckets) {
      this.#unbucketed.add(value);
      return;
    }
    for (const bucket of buckets) {
      const set = this.#buckets.get(bucket);
      if (set) set.add(value);
      else this.#buckets.set(bucket, new Set([value]));
    }
  }

  delete(value: T): void {
    const filed = this.#specs.get(value);
    if (!filed) return;
    this.#specs.delete(value);
    if (!filed.buckets) {
      this.#unbucketed.delete(value);
      return;
    }
    for (const bucket of filed.buckets) {
      const set = this.#buckets.get(bucket);
      if (set?.delete(value) && set.size === 0) this.#buckets.delete(bucket);
    }
  }

  get size(): number {
    return this.#specs.size;
  }

  values(): IterableIterator<T> {
    return this.#specs.keys();
  }

  /** The values whose spec selects at least one of `apps`. */
  selecting(apps: readonly IndexedApplication[]): Set<T> {
    const found = new Set<T>();
    if (this.#specs.size === 0) return found;
    // The buckets an app is in: its name, and each of its labels.
    for (const app of apps) {
      this.#collect(`n\0${app.name}`, app, found);
      if (app.labels)
        for (const key of Object.keys(app.labels))
          this.#collect(`l\0${key}\0${app.labels[key]}`, app, found);
    }
    for (const value of this.#unbucketed) {
      const spec = this.#spec(value);
      if (apps.some(app => matchesEntitySpec(spec, app))) found.add(value);
    }
    return found;
  }

  /** Adds the values of `bucket` whose spec selects `app`. */
  #collect(bucket: string, app: IndexedApplication, found: Set<T>): void {
    const set = this.#buckets.get(bucket);
    if (!set) return;
    for (const value of set) {
      if (!found.has(value) && matchesEntitySpec(this.#spec(value), app))
        found.add(value);
    }
  }

  #spec(value: T): EntityApplicationSpec {
    return this.#specs.get(value)!.spec;
  }
}

/**
 * What an app must have for `spec` to select it, as buckets: one of its names, or the value
 * of one `=` / `in` requirement of its selector (an app the selector matches has one of the
 * values). Undefined when a selector has no such requirement: it may select an app with any
 * name and labels.
 */
function bucketsOf(spec: EntityApplicationSpec): string[] | undefined {
  const buckets = spec.names.map(name => `n\0${name}`);
  if (spec.selector) {
    const required = spec.selector.find(
      r => r.operator === 'Equals' || r.operator === 'In',
    );
    if (!required) return undefined;
    for (const value of required.values)
      buckets.push(`l\0${required.key}\0${value}`);
  }
  return buckets;
}
