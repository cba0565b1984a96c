import type {
  AuthService,
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  TENANT_ANNOTATION,
  TenantNaming,
  isDns1123Label,
} from '@kupe/plugin-gitops-common';

/** The part of the catalog the tenant rules read; `CatalogService` satisfies it. */
export interface TenantCatalog {
  getEntitiesByRefs(
    request: { entityRefs: string[]; fields?: string[] },
    options: { credentials: BackstageCredentials },
  ): Promise<{ items: Array<TenantEntity | undefined> }>;
}

/** The entity fields the tenant rules read. */
export interface TenantEntity {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
  };
  spec?: { owner?: unknown } & Record<string, unknown>;
}

/** What a caller may see: every tenant (admins), or a fixed set. */
export interface CallerTenants {
  isAdmin: boolean;
  tenants: ReadonlySet<string>;
}

export interface TenantResolverOptions {
  naming: TenantNaming;
  adminGroups: string[];
  catalog: TenantCatalog;
  userInfo: Pick<UserInfoService, 'getUserInfo'>;
  auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  /** How long a group's tenant is remembered; group annotations change rarely. */
  groupCacheTtlMs?: number;
  now?: () => number;
}

const DEFAULT_GROUP_CACHE_TTL_MS = 60_000;
// Bounds the cache so a catalog with very many groups cannot grow it without limit.
const MAX_CACHED_GROUPS = 10_000;

const ASCII = /^[ -~]*$/;

/**
 * Normalizes an entity ref to `kind:namespace/name` in lower case, the form the catalog
 * and `ownershipEntityRefs` use, so config can say `platform`, `group:platform` or
 * `group:default/platform`.
 */
export function normalizeEntityRef(
  ref: string,
  defaults: { kind: string; namespace: string },
): string {
  const colon = ref.indexOf(':');
  const kind = colon >= 0 ? ref.slice(0, colon) : defaults.kind;
  const rest = colon >= 0 ? ref.slice(colon + 1) : ref;
  const slash = rest.indexOf('/');
  const namespace = slash >= 0 ? rest.slice(0, slash) : defaults.namespace;
  const name = slash >= 0 ? rest.slice(slash + 1) : rest;
  const full = `${kind}:${namespace}/${name}`;
  // Printable ASCII (every real ref) lower-cases the same without the locale-aware path, which
  // showed in the profile of the entity route.
  return ASCII.test(full)
    ? full.toLowerCase()
    : full.toLocaleLowerCase('en-US');
}

function tenantAnnotation(
  entity: TenantEntity | undefined,
): string | undefined {
  const value = entity?.metadata.annotations?.[TENANT_ANNOTATION]?.trim();
  // A malformed annotation names no tenant rather than a tenant nobody can map to a project.
  return isDns1123Label(value) ? value : undefined;
}

/**
 * The tenant rules of the platform, in one place for the backend, search and scaffolder:
 * who belongs to which tenant, which tenant an entity or an Argo CD Application belongs to,
 * and who sees what.
 */
export class TenantResolver {
  readonly naming: TenantNaming;
  readonly #adminGroups: ReadonlySet<string>;
  readonly #catalog: TenantCatalog;
  readonly #userInfo: Pick<UserInfoService, 'getUserInfo'>;
  readonly #auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #groupTenants = new Map<
    string,
    { tenant?: string; expiresAt: number }
  >();
  readonly #inFlight = new Map<string, Promise<string | undefined>>();

  /** Reads `gitops.tenancy`. */
  static fromConfig(
    config: Config,
    deps: Omit<TenantResolverOptions, 'naming' | 'adminGroups'>,
  ): TenantResolver {
    const tenancy = config.getOptionalConfig('gitops.tenancy');
    const projectPattern = tenancy?.getOptionalString('projectPattern');
    const clusterPattern = tenancy?.getOptionalString('clusterPattern');
    // Unset keys must stay absent: an explicit undefined would override the defaults.
    const naming = new TenantNaming({
      ...(projectPattern ? { projectPattern } : {}),
      ...(clusterPattern ? { clusterPattern } : {}),
    });
    return new TenantResolver({
      ...deps,
      naming,
      adminGroups: tenancy?.getOptionalStringArray('adminGroups') ?? [],
    });
  }

  constructor(options: TenantResolverOptions) {
    this.naming = options.naming;
    this.#adminGroups = new Set(
      options.adminGroups.map(g =>
        normalizeEntityRef(g, { kind: 'group', namespace: 'default' }),
      ),
    );
    this.#catalog = options.catalog;
    this.#userInfo = options.userInfo;
    this.#auth = options.auth;
    this.#ttlMs = options.groupCacheTtlMs ?? DEFAULT_GROUP_CACHE_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The tenants of a signed-in user: those of the groups among their ownership refs, or
   * every tenant for members of `adminGroups`. Anything but a user principal gets nothing,
   * so a misrouted service token can never widen visibility.
   */
  async getCallerTenants(
    credentials: BackstageCredentials,
  ): Promise<CallerTenants> {
    if (
      credentials.principal === null ||
      typeof credentials.principal !== 'object'
    ) {
      return { isAdmin: false, tenants: new Set() };
    }
    const principal = credentials.principal as { type?: string };
    if (principal.type !== 'user')
      return { isAdmin: false, tenants: new Set() };
    const { ownershipEntityRefs } = await this.#userInfo.getUserInfo(
      credentials,
    );
    const refs = ownershipEntityRefs.map(r =>
      normalizeEntityRef(r, { kind: 'group', namespace: 'default' }),
    );
    if (refs.some(r => this.#adminGroups.has(r))) {
      return { isAdmin: true, tenants: new Set() };
    }
    const groups = refs.filter(r => r.startsWith('group:'));
    const tenants = await this.#tenantsOfGroups(groups);
    return {
      isAdmin: false,
      tenants: new Set(tenants.filter((t): t is string => !!t)),
    };
  }

  /** An entity's tenant: its own annotation, else that of its owner group. */
  async getEntityTenant(entity: TenantEntity): Promise<string | undefined> {
    const own = tenantAnnotation(entity);
    if (own) return own;
    const owner = entity.spec?.owner;
    if (typeof owner !== 'string' || !owner.trim()) return undefined;
    const ownerRef = normalizeEntityRef(owner.trim(), {
      kind: 'group',
      namespace: entity.metadata.namespace ?? 'default',
    });
    if (!ownerRef.startsWith('group:')) return undefined;
    const [tenant] = await this.#tenantsOfGroups([ownerRef]);
    return tenant;
  }

  /** An Application's tenant, from its AppProject; undefined outside every tenant project. */
  getApplicationTenant(project: string | undefined): string | undefined {
    return this.naming.tenantOfProject(project);
  }

  /** Whether the caller may see something of `tenant`; tenantless things only admins see. */
  canSee(caller: CallerTenants, tenant: string | undefined): boolean {
    if (caller.isAdmin) return true;
    return tenant !== undefined && caller.tenants.has(tenant);
  }

  async #tenantsOfGroups(
    groupRefs: string[],
  ): Promise<Array<string | undefined>> {
    const now = this.#now();
    const missing = groupRefs.filter(ref => {
      const hit = this.#groupTenants.get(ref);
      return (!hit || hit.expiresAt <= now) && !this.#inFlight.has(ref);
    });
    if (missing.length > 0) {
      // One catalog request for all misses; concurrent callers wait on the same promise.
      const batch = this.#loadGroups(missing);
      for (const ref of missing) {
        const one = batch.then(m => m.get(ref));
        this.#inFlight.set(ref, one);
        one.finally(() => this.#inFlight.delete(ref)).catch(() => {});
      }
    }
    return Promise.all(
      groupRefs.map(async ref => {
        const pending = this.#inFlight.get(ref);
        if (pending) return pending;
        return this.#groupTenants.get(ref)?.tenant;
      }),
    );
  }

  async #loadGroups(refs: string[]): Promise<Map<string, string | undefined>> {
    // Group annotations are platform facts, read with the plugin's own identity so a user's
    // catalog permissions cannot hide (or fake) their tenant membership.
    const credentials = await this.#auth.getOwnServiceCredentials();
    const { items } = await this.#catalog.getEntitiesByRefs(
      {
        entityRefs: refs,
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.annotations',
        ],
      },
      { credentials },
    );
    const result = new Map<string, string | undefined>();
    const expiresAt = this.#now() + this.#ttlMs;
    if (this.#groupTenants.size + refs.length > MAX_CACHED_GROUPS)
      this.#groupTenants.clear();
    refs.forEach((ref, i) => {
      const entity = items[i];
      const tenant =
        entity?.kind.toLocaleLowerCase('en-US') === 'group'
          ? tenantAnnotation(entity)
          : undefined;
      result.set(ref, tenant);
      this.#groupTenants.set(ref, { tenant, expiresAt });
    });
    return result;
  }
}
