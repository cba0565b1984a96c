import type { LabelSelectorRequirement } from '@kupe/plugin-gitops-node';
import type { IndexedApplication } from './IndexedApplication';
import { DEFAULT_APP_NAMESPACE } from './instanceIndexTypes';

/**
 * The apps under one key. Most names and many label values have a single app, so a lone
 * record is stored as is; more share an array: a word per app, where a `Set`'s hash table
 * takes about 40 bytes per entry and 400 for the smallest. Up to `MAX_COPIED_BUCKET` apps,
 * the array has exactly their size and is replaced on every change (`concat` and `slice`
 * allocate exactly what they hold; a `push`, spread or `filter` leaves 17 slots or more for
 * three). A larger one is changed in place, so a change copies nothing; its removals search
 * it, a few microseconds for thousands of apps.
 */
type Bucket = IndexedApplication | IndexedApplication[];

export const MAX_COPIED_BUCKET = 256;

const NONE: readonly IndexedApplication[] = [];

function itemsOf(bucket: Bucket | undefined): Iterable<IndexedApplication> {
  if (bucket === undefined) return NONE;
  return Array.isArray(bucket) ? bucket : [bucket];
}

function sizeOf(bucket: Bucket | undefined): number {
  if (bucket === undefined) return 0;
  return Array.isArray(bucket) ? bucket.length : 1;
}

/** `fresh`: the app is known not to be in the bucket (a lookup being built), so no search. */
function addTo<K>(
  map: Map<K, Bucket>,
  key: K,
  app: IndexedApplication,
  fresh = false,
): void {
  const bucket = map.get(key);
  if (bucket === undefined) map.set(key, app);
  else if (!Array.isArray(bucket)) {
    if (bucket !== app) map.set(key, [bucket, app]);
  } else if (!fresh && bucket.includes(app)) return;
  else if (bucket.length < MAX_COPIED_BUCKET)
    map.set(key, bucket.concat([app]));
  else bucket.push(app);
}

function removeFrom<K>(
  map: Map<K, Bucket>,
  key: K,
  app: IndexedApplication,
): void {
  const bucket = map.get(key);
  if (bucket === app) {
    map.delete(key);
    return;
  }
  const at = Array.isArray(bucket) ? bucket.indexOf(app) : -1;
  if (at < 0) return;
  const apps = bucket as IndexedApplication[];
  if (apps.length > MAX_COPIED_BUCKET) apps.splice(at, 1);
  else if (apps.length === 2) map.set(key, apps[1 - at]);
  else map.set(key, apps.slice(0, at).concat(apps.slice(at + 1)));
}

/**
 * Secondary maps over the records of one instance index: by app name (outside Argo CD's
 * namespace), by label
 * `key` → `value`, and by project. The buckets hold the records themselves (references, no
 * copies), and empty buckets are dropped, so memory follows the index. The owner must call
 * `remove` with the exact record it replaces or deletes.
 */
export class ApplicationLookup {
  /** Apps outside Argo CD's namespace: the index's own map keys those in it by name. */
  readonly #byNameElsewhere = new Map<string, Bucket>();
  readonly #byLabel = new Map<string, Map<string, Bucket>>();
  readonly #byProject = new Map<string, Bucket>();

  /**
   * The lookup of `records` (distinct records, each added once), letting the event loop run
   * every `sliceMs` of work: for the tens of thousands of records of a listing, with labels
   * thousands of apps share, building takes tens of milliseconds, which no request should
   * wait behind. Ends early with the signal's reason once `signal` is aborted.
   */
  static async build(
    records: Iterable<IndexedApplication>,
    options: { sliceMs: number; signal?: AbortSignal; now?: () => number },
  ): Promise<ApplicationLookup> {
    const now = options.now ?? (() => performance.now());
    const lookup = new ApplicationLookup();
    let sliceStart = now();
    let count = 0;
    for (const record of records) {
      lookup.#add(record, true);
      // The clock read every few records only: reading it costs about what adding one does.
      if (++count % 16 === 0 && now() - sliceStart >= options.sliceMs) {
        await new Promise<void>(resolve => setImmediate(resolve));
        options.signal?.throwIfAborted();
        sliceStart = now();
      }
    }
    return lookup;
  }

  add(app: IndexedApplication): void {
    this.#add(app, false);
  }

  #add(app: IndexedApplication, fresh: boolean): void {
    if (app.appNamespace !== DEFAULT_APP_NAMESPACE)
      addTo(this.#byNameElsewhere, app.name, app, fresh);
    addTo(this.#byProject, app.project, app, fresh);
    for (const [key, value] of Object.entries(app.labels)) {
      let values = this.#byLabel.get(key);
      if (!values) {
        values = new Map();
        this.#byLabel.set(key, values);
      }
      addTo(values, value, app, fresh);
    }
  }

  remove(app: IndexedApplication): void {
    if (app.appNamespace !== DEFAULT_APP_NAMESPACE)
      removeFrom(this.#byNameElsewhere, app.name, app);
    removeFrom(this.#byProject, app.project, app);
    for (const [key, value] of Object.entries(app.labels)) {
      const values = this.#byLabel.get(key);
      if (!values) continue;
      removeFrom(values, value, app);
      if (values.size === 0) this.#byLabel.delete(key);
    }
  }

  /** The apps of that name in app namespaces other than Argo CD's own. */
  byNameElsewhere(name: string): Iterable<IndexedApplication> {
    return itemsOf(this.#byNameElsewhere.get(name));
  }

  /**
   * The smallest known superset of the apps a selector (and optionally a project) can match:
   * the bucket(s) of its most selective `=` / `in` requirement, or of the project, whichever
   * is smaller; `undefined` when nothing narrows it down (the caller scans everything).
   * Candidates still have to be checked against the full selector.
   */
  candidates(
    selector: readonly LabelSelectorRequirement[] | undefined,
    project?: string,
  ): Iterable<IndexedApplication> | undefined {
    let best: Array<Bucket | undefined> | undefined;
    let bestSize = Infinity;
    if (project !== undefined) {
      const bucket = this.#byProject.get(project);
      best = [bucket];
      bestSize = sizeOf(bucket);
    }
    for (const requirement of selector ?? []) {
      if (bestSize === 0) break;
      if (requirement.operator !== 'Equals' && requirement.operator !== 'In')
        continue;
      const values = this.#byLabel.get(requirement.key);
      const buckets = [...new Set(requirement.values)].map(value =>
        values?.get(value),
      );
      const size = buckets.reduce((sum, b) => sum + sizeOf(b), 0);
      if (size < bestSize) {
        best = buckets;
        bestSize = size;
      }
    }
    if (!best) return undefined;
    if (best.length === 1) return itemsOf(best[0]);
    return best.flatMap(bucket => [...itemsOf(bucket)]);
  }
}
