import type { Entity } from '@backstage/catalog-model';
import type { IndexChange } from '../applicationIndex/InstanceIndex';
import type { EntityApplicationSpec } from './entityApplicationSpec';
import { evictToBound } from './boundedCache';
import { EntitySpecIndex } from './EntitySpecIndex';

export interface EntityViewCacheOptions {
  /**
   * How long a user's view of an entity is reused when nothing of it changes in the index
   * (default 5 s, the entity read's own reuse): the bound on how late a change of the user's
   * permissions or tenants shows. 0 computes every view.
   */
  ttlMs?: number;
  /** Upper bound of remembered (user, entity) pairs (default 10,000). */
  maxEntries?: number;
  now?: () => number;
}

const DEFAULT_TTL_MS = 5_000;
const DEFAULT_MAX_ENTRIES = 10_000;

interface Entry<T> {
  key: string;
  entity: Entity;
  instances: ReadonlySet<string>;
  value: Promise<T>;
  expiresAt: number;
}

/**
 * What one user may see of one entity's applications, computed once and shared by the
 * requests that ask for it: a card's list, its event stream's first state and its quarantine
 * banner all need the same permission-checked answer, and each computation costs a tenant
 * lookup and a permission round trip.
 *
 * The key is the user AND the entity, and a hit also needs the same entity read (the same
 * object, or the same catalog etag), so neither another user's answer nor one for an entity
 * whose annotations have changed is ever reused. An index change drops at once every view it
 * can alter (a change on one of the view's instances naming none of its apps leaves it), so
 * no answer outlives a change of the apps it shows; `ttlMs` bounds the rest (permission
 * policy and tenant membership). Failures are never kept; concurrent misses share one
 * computation.
 */
export class EntityViewCache<T> {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  #sweep: ReturnType<typeof setTimeout> | undefined;
  readonly #entries = new Map<string, Entry<T>>();
  /** The entries by their spec: an index change checks only the views that can show its apps. */
  readonly #bySpec = new EntitySpecIndex<Entry<T>>();

  constructor(options: EntityViewCacheOptions = {}) {
    this.#ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.#maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The view `compute` gives for `user` and `entity`, reused within the TTL until an index
   * change concerns it. `instances` are those the entity's apps may live on.
   */
  get(
    user: string,
    entity: Entity,
    spec: EntityApplicationSpec,
    instances: readonly string[],
    compute: () => Promise<T>,
  ): Promise<T> {
    if (this.#ttlMs <= 0) return compute();
    // Entity refs are case-insensitive in the catalog; user refs come from verified tokens.
    const key = `${user}\n${entity.kind}:${
      entity.metadata.namespace ?? 'default'
    }/${entity.metadata.name}`.toLowerCase();
    const now = this.#now();
    const hit = this.#entries.get(key);
    if (hit && hit.expiresAt > now && sameRead(hit.entity, entity))
      return hit.value;
    if (hit) this.#delete(hit);

    const value = compute();
    const entry: Entry<T> = {
      key,
      entity,
      instances: new Set(instances),
      value,
      expiresAt: now + this.#ttlMs,
    };
    this.#entries.set(key, entry);
    this.#bySpec.add(entry, spec);
    this.#scheduleSweep();
    value.catch(() => this.#delete(entry));
    if (this.#entries.size > this.#maxEntries) {
      const before = [...this.#entries.values()];
      evictToBound(this.#entries, this.#maxEntries, now);
      // Those the bound dropped from the map leave their buckets too.
      for (const e of before)
        if (this.#entries.get(e.key) !== e) this.#delete(e);
    }
    return value;
  }

  /**
   * Drops every view an index change can alter: on `instance`, those showing one of the
   * changed apps (before or after the change), or all of them when `change` names none.
   */
  invalidate(instance: string, change?: IndexChange): void {
    this.#dropExpired();
    if (!change) {
      for (const entry of this.#entries.values()) {
        if (entry.instances.has(instance)) this.#delete(entry);
      }
      return;
    }
    for (const entry of this.#bySpec.selecting(change.apps)) {
      if (entry.instances.has(instance)) this.#delete(entry);
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Drops the expired entries. They are the oldest ones, first in the map: every entry is
   * set with the same TTL from the time it is set, and a hit does not move it.
   */
  #dropExpired() {
    const now = this.#now();
    for (const entry of this.#entries.values()) {
      if (entry.expiresAt > now) break;
      this.#delete(entry);
    }
  }

  /**
   * Drops the expired entries when the oldest expires, and again for the next one, so views
   * a burst of traffic left behind are let go once it is over, not only with the next index
   * change (10,000 of them hold about 16 MB). The timer keeps no process alive.
   */
  #scheduleSweep(): void {
    if (this.#sweep) return;
    const oldest = this.#entries.values().next().value;
    if (!oldest) return;
    this.#sweep = setTimeout(() => {
      this.#sweep = undefined;
      this.#dropExpired();
      this.#scheduleSweep();
    }, Math.max(0, oldest.expiresAt - this.#now()));
    this.#sweep.unref?.();
  }

  #delete(entry: Entry<T>) {
    if (this.#entries.get(entry.key) === entry) this.#entries.delete(entry.key);
    this.#bySpec.delete(entry);
  }
}

/** The same read of an entity: the same object, or the same version in the catalog. */
function sameRead(a: Entity, b: Entity): boolean {
  return a === b || (!!a.metadata.etag && a.metadata.etag === b.metadata.etag);
}
