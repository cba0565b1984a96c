import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { evictToBound } from '../service/boundedCache';

export interface EntityCacheOptions {
  /** How long a user's read of an entity is reused; keep it short (default 5 s). */
  ttlMs?: number;
  /** Upper bound of remembered (user, entity) pairs (default 10,000). */
  maxEntries?: number;
  now?: () => number;
}

type EntityRef = { kind: string; namespace: string; name: string };

const DEFAULT_TTL_MS = 5_000;
const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * Reuses a user's catalog read of an entity for a few seconds, so repeated views of the same
 * entity (the card, the tab and their polling, every browser tab of a team) cost one catalog
 * round trip (a plugin token and an HTTP request in a real backend) instead of one each.
 *
 * The key is the user AND the entity: what one user was allowed to read is never handed to
 * another, and a change of the user's catalog permissions or of the entity's annotations takes
 * effect after at most `ttlMs`. Only found entities are kept, so a newly registered entity shows
 * at once; failures are never kept. Concurrent misses for the same key share one lookup.
 * Everything after the lookup (tenant rules, permission decisions) still runs per request.
 */
export class EntityCache {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #entries = new Map<
    string,
    { entity: Promise<Entity | undefined>; expiresAt: number }
  >();

  constructor(options: EntityCacheOptions = {}) {
    this.#ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.#maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The entity as `load` (a catalog read with the caller's credentials) returns it, reused
   * within the TTL for the same user. Callers without a user principal are never cached.
   */
  get(
    credentials: BackstageCredentials,
    ref: EntityRef,
    load: () => Promise<Entity | undefined>,
  ): Promise<Entity | undefined> {
    const user = userOf(credentials);
    if (this.#ttlMs <= 0 || !user) return load();
    // Entity refs are case-insensitive in the catalog; user refs come from verified tokens.
    const key =
      `${user}\n${ref.kind}:${ref.namespace}/${ref.name}`.toLowerCase();
    const now = this.#now();
    const hit = this.#entries.get(key);
    if (hit && hit.expiresAt > now) return hit.entity;
    if (hit) this.#entries.delete(key);

    const entity = load();
    const entry = { entity, expiresAt: now + this.#ttlMs };
    this.#entries.set(key, entry);
    const forget = () => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    };
    entity.then(found => !found && forget(), forget);
    evictToBound(this.#entries, this.#maxEntries, now);
    return entity;
  }

  /** Forgets everything (for example when the catalog says an entity changed). */
  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}

function userOf(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as
    | { type?: string; userEntityRef?: string }
    | undefined;
  return principal?.type === 'user' && principal.userEntityRef
    ? principal.userEntityRef
    : undefined;
}
