import { ANNOTATION_ORIGIN_LOCATION } from '@backstage/catalog-model';
import { TENANT_ANNOTATION, isDns1123Label } from '@kupe/plugin-gitops-common';
import type { TenantEntity } from './TenantResolver';

/**
 * What the tenant rules remember of one User or Group entity: raw catalog facts, not
 * verdicts. Trust is decided by each reader against its own trusted origins, so a cache
 * shared by resolvers can never carry one resolver's trust into another.
 *
 * @public
 */
export interface TenantEntityFacts {
  /** Lower-cased kind; undefined when the catalog does not have the entity. */
  kind?: string;
  /** Its `backstage.io/managed-by-origin-location`, set by the catalog itself. */
  origin?: string;
  /** Its tenant annotation when well formed, whatever its origin. */
  tenant?: string;
}

/**
 * Reads the entities of `refs` from the catalog, in order, `undefined` for a missing one.
 *
 * @public
 */
export type TenantEntityLoader = (
  refs: string[],
) => Promise<Array<TenantEntity | undefined>>;

/** @public */
export interface TenantEntityCacheOptions {
  /** How long an entity's facts are remembered; group annotations change rarely. */
  ttlMs?: number;
  now?: () => number;
}

const DEFAULT_TTL_MS = 60_000;
// Bounds the cache so a catalog with very many groups cannot grow it without limit.
const MAX_CACHED_ENTITIES = 10_000;

/** An entity's own tenant annotation when well formed, whatever its origin. */
export function tenantAnnotationOf(
  entity: TenantEntity | undefined,
): string | undefined {
  const value = entity?.metadata.annotations?.[TENANT_ANNOTATION]?.trim();
  // A malformed annotation names no tenant rather than one nobody can map to a project.
  return isDns1123Label(value) ? value : undefined;
}

function factsOf(entity: TenantEntity | undefined): TenantEntityFacts {
  if (!entity) return {};
  const origin = entity.metadata.annotations?.[ANNOTATION_ORIGIN_LOCATION];
  return {
    kind: entity.kind.toLocaleLowerCase('en-US'),
    origin: typeof origin === 'string' ? origin : undefined,
    tenant: tenantAnnotationOf(entity),
  };
}

/**
 * The group cache of the tenant rules: one per backend, shared by every plugin's tenant
 * resolver, so a group read by the gitops plugin is not read again by the scaffolder, the
 * search collator or the permission policy within the TTL. Misses are read by the caller's
 * `load` (with that plugin's own service credentials); concurrent misses of the same refs,
 * from any plugin, wait on one catalog request.
 *
 * @public
 */
export class TenantEntityCache {
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #known = new Map<
    string,
    TenantEntityFacts & { expiresAt: number }
  >();
  readonly #inFlight = new Map<string, Promise<TenantEntityFacts>>();

  constructor(options: TenantEntityCacheOptions = {}) {
    this.#ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  /** The facts of each of `refs` (normalized entity refs), reading misses with `load`. */
  async lookUp(
    refs: string[],
    load: TenantEntityLoader,
  ): Promise<TenantEntityFacts[]> {
    const now = this.#now();
    const missing = [
      ...new Set(
        refs.filter(ref => {
          const hit = this.#known.get(ref);
          return (!hit || hit.expiresAt <= now) && !this.#inFlight.has(ref);
        }),
      ),
    ];
    if (missing.length > 0) {
      // One catalog request for all misses; concurrent callers wait on the same promise.
      const batch = this.#load(missing, load);
      for (const ref of missing) {
        const one = batch.then(m => m.get(ref) ?? {});
        this.#inFlight.set(ref, one);
        one.finally(() => this.#inFlight.delete(ref)).catch(() => {});
      }
    }
    return Promise.all(
      refs.map(async ref => {
        const pending = this.#inFlight.get(ref);
        if (pending) return pending;
        return this.#known.get(ref) ?? {};
      }),
    );
  }

  async #load(
    refs: string[],
    load: TenantEntityLoader,
  ): Promise<Map<string, TenantEntityFacts>> {
    const items = await load(refs);
    const result = new Map<string, TenantEntityFacts>();
    const expiresAt = this.#now() + this.#ttlMs;
    if (this.#known.size + refs.length > MAX_CACHED_ENTITIES) {
      this.#known.clear();
    }
    refs.forEach((ref, i) => {
      const facts = factsOf(items[i]);
      result.set(ref, facts);
      this.#known.set(ref, { ...facts, expiresAt });
    });
    return result;
  }
}
