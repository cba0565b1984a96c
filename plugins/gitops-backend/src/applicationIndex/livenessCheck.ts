import type { Application } from '@kupe/plugin-gitops-node';
import { DEFAULT_APP_NAMESPACE, keyOf } from './instanceIndexTypes';

/**
 * What the periodic liveness check asks Argo CD for: a `fields=` projection of every app on the
 * List whitelist (argo-cd `pkg/apiclient/application/forwarder_overwrite.go`;
 * `metadata.resourceVersion` is not on it) covering what the portal shows and selects by: labels,
 * project, destination, sources, sync policy, sync state and revision, health, the operation's
 * phase and times. About 730 bytes of a realistic 22 KB app.
 *
 * Left out on purpose, as the index's listing carries them (`INDEX_LIST_FIELDS`):
 * - `status.summary` (images and URLs, more than a third of the listing): images change with a
 *   sync, which moves the operation's `finishedAt`, or with drift, which moves the sync status.
 * - `metadata.annotations`: the portal's own pause record, written through the portal (which
 *   reads the app back into the index); Argo CD's own annotations come and go, and a
 *   `kubectl apply`'d app carries its whole last-applied spec in one.
 */
export const LIVENESS_FIELDS: readonly string[] = [
  'items.metadata.name',
  'items.metadata.namespace',
  'items.metadata.labels',
  'items.spec.project',
  'items.spec.destination',
  'items.spec.source',
  'items.spec.sources',
  'items.spec.syncPolicy',
  'items.status.sync.status',
  'items.status.sync.revision',
  'items.status.health',
  'items.status.operationState.phase',
  'items.status.operationState.startedAt',
  'items.status.operationState.finishedAt',
  // Not `items.status.operationState.operation.sync`: Argo CD maps that path to the sync
  // RESULT (one entry per resource, most of a realistic app's bytes), never the operation.
];

/** What `valueDigest` gives for an empty value, which Go leaves out: no digest. */
const EMPTY = -1;

/** Murmur3's finalizer: every input bit moves every output bit (32-bit unsigned out). */
function mix(h: number): number {
  let x = h;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** 32 bits of a string's UTF-16 code units (FNV-1a, then mixed), from `seed`. */
function stringDigest(text: string, seed: number): number {
  let h = seed ^ 0x811c9dc5;
  for (let i = 0; i < text.length; i++)
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix(h ^ text.length);
}

// Each kind of value seeds its digest differently, so '1', 1, true and 'true' differ.
const STRING = 0x5bd1e995;
const NUMBER = 0x27d4eb2f;
const KEY = 0x165667b1;
const ARRAY = 0x61c88647;
const OBJECT = 0x7f4a7c15;

/**
 * A 32-bit digest of a value's JSON without what Go writes for an empty value (null, '',
 * {}, [], also once emptied), the same whatever order an object's keys were written in:
 * EMPTY when nothing is left. Argo CD's listing leaves out the empty values the index's
 * copy of an app may hold, so both sides must digest equal.
 *
 * It walks the value once and allocates nothing: an object's members are combined by a sum,
 * which does not depend on their order, where writing canonical JSON sorted every object's
 * keys into a new array, for each of the 30,000 apps a check or a listing brings. Not a
 * cryptographic digest: a change it misses (1 in 4 billion for one that is not crafted, and
 * one crafted only hides its own app's change, which the watch brings anyway) waits for the
 * next relist, as one every check missed would.
 */
export function valueDigest(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return value === '' ? EMPTY : stringDigest(value, STRING);
    case 'number':
      return stringDigest(String(value), NUMBER);
    case 'boolean':
      return value ? 0x2545f491 : 0x4f1bbcdd;
    case 'object': {
      if (value === null) return EMPTY;
      if (Array.isArray(value)) {
        let h = ARRAY;
        let count = 0;
        for (const item of value) {
          const d = valueDigest(item);
          if (d === EMPTY) continue;
          h = mix(Math.imul(h, 31) + d);
          count++;
        }
        return count === 0 ? EMPTY : mix(h ^ count);
      }
      let sum = 0;
      let count = 0;
      const object = value as Record<string, unknown>;
      for (const key in object) {
        if (!Object.prototype.hasOwnProperty.call(object, key)) continue;
        const d = valueDigest(object[key]);
        if (d === EMPTY) continue;
        sum =
          (sum + mix(stringDigest(key, KEY) ^ Math.imul(d, 0x9e3779b1))) | 0;
        count++;
      }
      return count === 0
        ? EMPTY
        : mix(OBJECT ^ sum ^ Math.imul(count, 0x2c1b3c6d));
    }
    default:
      return EMPTY;
  }
}

/**
 * A fixed-size digest of the fields above, the same whether computed from a whole Application
 * (watch event, listing) or from its projection in the liveness check.
 */
export function livenessPrint(app: Application): number {
  const status = app.status;
  const op = status?.operationState;
  const projected = {
    labels: app.metadata?.labels,
    project: app.spec?.project,
    destination: app.spec?.destination,
    source: app.spec?.source,
    sources: app.spec?.sources,
    syncPolicy: app.spec?.syncPolicy,
    sync: { status: status?.sync?.status, revision: status?.sync?.revision },
    health: {
      status: status?.health?.status,
      message: status?.health?.message,
    },
    operation: {
      phase: op?.phase,
      startedAt: op?.startedAt,
      finishedAt: op?.finishedAt,
    },
  };
  // 31 bits of the digest: a small integer, which the index's map holds in the entry
  // itself, where a string took 32 bytes more per app.
  return valueDigest(projected) >> 1;
}

/**
 * What a liveness check found matching the index, for the next check: each listed item's
 * digest, with its app's key. The next check takes an item of the same bytes as still
 * matching, without decoding it or computing its print, while `unchanged` says no event has
 * moved that app in the index since.
 */
export interface MatchedItems {
  byDigest: ReadonlyMap<number, string>;
  unchanged: (key: string) => boolean;
}

/**
 * Compares Argo CD's `fields=` listing, one app at a time as it arrives, with the digests the
 * index holds. With `full`, the index holds no more apps, so an app it never took in is no
 * difference.
 */
export class LivenessComparison {
  readonly #prints: ReadonlyMap<string, number>;
  readonly #full: boolean;
  readonly #previous: MatchedItems | undefined;
  readonly #heldKey: (key: string) => string;
  readonly #seen = new Set<string>();
  readonly #differing: string[] = [];
  readonly #matched = new Map<number, string>();
  /** The digest of the item `skip` saw last, which `add` receives next, parsed. */
  #digest: number | undefined;

  /**
   * `heldKey` gives the index's own copy of an app's key (a string its record holds anyway):
   * `matched` outlives the check, and a key parsed from the listing kept there would be one
   * more string per app (about 40 bytes) until the next check.
   */
  constructor(
    prints: ReadonlyMap<string, number>,
    full: boolean,
    previous?: MatchedItems,
    heldKey: (key: string) => string = key => key,
  ) {
    this.#prints = prints;
    this.#full = full;
    this.#previous = previous;
    this.#heldKey = heldKey;
  }

  /**
   * The listing client's `skipItem`, with the digest of a listed item's bytes (31 bits, as
   * the prints are; the bytes name the app): true for an item whose bytes the previous check
   * found matching an app the index has not changed since, which therefore still matches.
   * Another app's digest taken for it leaves the app unseen, so it counts as differing; its
   * own former bytes' digest (a chance of 1 in 2 billion per changed app) waits for the next
   * resync, as a print's would.
   */
  skip(digest: number): boolean {
    const key = this.#previous?.byDigest.get(digest);
    if (key !== undefined && this.#previous!.unchanged(key)) {
      this.#seen.add(key);
      this.#matched.set(digest, key);
      this.#digest = undefined;
      return true;
    }
    this.#digest = digest;
    return false;
  }

  add(app: Application): void {
    const digest = this.#digest;
    this.#digest = undefined;
    if (!app.metadata?.name) return;
    const key = keyOf(
      app.metadata.namespace || DEFAULT_APP_NAMESPACE,
      app.metadata.name,
    );
    this.#seen.add(key);
    const held = this.#prints.get(key);
    if (held === undefined && this.#full) return;
    if (held !== livenessPrint(app)) this.#differing.push(key);
    else if (digest !== undefined)
      this.#matched.set(digest, this.#heldKey(key));
  }

  /** The items found matching, by digest, for the next check's `previous`. */
  get matched(): ReadonlyMap<number, string> {
    return this.#matched;
  }

  /**
   * Keys that differ, or that the index holds and the listing did not have, leaving out those
   * `moved` says an event touched while the listing was on its way (the event may be newer).
   */
  differing(moved: (key: string) => boolean): string[] {
    const differing = this.#differing.filter(key => !moved(key));
    for (const key of this.#prints.keys()) {
      if (!this.#seen.has(key) && !moved(key)) differing.push(key);
    }
    return differing;
  }
}
