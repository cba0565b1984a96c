import type {
  AuthService,
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { ANNOTATION_ORIGIN_LOCATION } from '@backstage/catalog-model';
import { resolve as resolvePath } from 'node:path';
import {
  TenantNaming,
  normalizeEnvironment,
  ENVIRONMENT_LABEL,
} from '@kupe/plugin-gitops-common';
import type { Application } from '../argocd/types';
import {
  TenantEntityCache,
  type TenantEntityFacts,
  tenantAnnotationOf,
} from './TenantEntityCache';

/**
 * The part of the catalog the tenant rules read; `CatalogService` satisfies it.
 *
 * @public
 */
export interface TenantCatalog {
  getEntitiesByRefs(
    request: { entityRefs: string[]; fields?: string[] },
    options: { credentials: BackstageCredentials },
  ): Promise<{ items: Array<TenantEntity | undefined> }>;
}

/**
 * The entity fields the tenant rules read.
 *
 * @public
 */
export interface TenantEntity {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
  };
  spec?: { owner?: unknown } & Record<string, unknown>;
}

/**
 * What a caller may see: every tenant (admins), or a fixed set.
 *
 * @public
 */
export interface CallerTenants {
  isAdmin: boolean;
  tenants: ReadonlySet<string>;
  /**
   * The caller's own entity ref and the trusted groups they belong to: what the portal's
   * policy treats as their ownership claims. Absent for a caller the rules do not trust.
   */
  ownershipRefs?: readonly string[];
}

/**
 * Replaces how a caller's tenants are resolved. `getDefault` runs the built-in rules (trusted
 * User and Group entities); a rule may narrow or widen their answer, or ignore it.
 *
 * @public
 */
export type CallerTenantsRule = (
  credentials: BackstageCredentials,
  context: { getDefault(): Promise<CallerTenants> },
) => Promise<CallerTenants>;

/**
 * Replaces how an Application's environment is resolved. `getDefault` gives the built-in
 * answer: the `kupe.cloud/environment` label, else the tenant's short cluster name.
 *
 * @public
 */
export type ApplicationEnvironmentRule = (
  app: Application,
  context: { tenant: string | undefined; getDefault(): string | undefined },
) => string | undefined;

/**
 * What a `TenantResolver` is built from: the naming patterns, the admin groups, the catalog and the trusted origins of User and Group entities.
 *
 * @public
 */
export interface TenantResolverOptions {
  naming: TenantNaming;
  adminGroups: string[];
  catalog: TenantCatalog;
  userInfo: Pick<UserInfoService, 'getUserInfo'>;
  auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  /**
   * Where trusted User and Group entities come from: prefixes of their
   * `backstage.io/managed-by-origin-location`, which the catalog sets itself (an entity
   * cannot claim it). Tenant membership, admin groups and an entity's own tenant annotation
   * count only on entities from these origins, never on one a user registered.
   */
  trustedOrigins: readonly string[];
  /**
   * The group cache, shared with other resolvers (see `gitOpsTenantResolverServiceRef`);
   * a resolver without one keeps its own, with `groupCacheTtlMs` and `now`.
   */
  cache?: TenantEntityCache;
  /** How long a group's tenant is remembered; group annotations change rarely. */
  groupCacheTtlMs?: number;
  now?: () => number;
  /** Replaces the caller-tenants rules (see `gitOpsTenancyExtensionPoint`). */
  callerTenants?: CallerTenantsRule;
  /** Replaces the environment rule (see `gitOpsTenancyExtensionPoint`). */
  environment?: ApplicationEnvironmentRule;
}

const ASCII = /^[ -~]*$/;

/**
 * Normalizes an entity ref to `kind:namespace/name` in lower case, the form the catalog
 * and `ownershipEntityRefs` use, so config can say `platform`, `group:platform` or
 * `group:default/platform`.
 *
 * @public
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

/**
 * The origins the catalog gives the entities of `catalog.locations`, computed as the
 * catalog's config provider does (`file` targets resolved against the working directory).
 * Locations registered through the catalog API are not among them.
 */
export function configuredCatalogOrigins(config: Config): string[] {
  return (config.getOptionalConfigArray('catalog.locations') ?? []).map(
    location => {
      const type = location.getString('type');
      const target = location.getString('target');
      return `${type}:${type === 'file' ? resolvePath(target) : target}`;
    },
  );
}

/** What the tenant rules know of a User or Group entity, judged by this resolver. */
interface KnownEntity {
  /** Lower-cased kind; undefined when the catalog does not have the entity. */
  kind?: string;
  /** Whether it comes from a trusted origin. */
  trusted: boolean;
  /** Its own tenant annotation, only when trusted. */
  tenant?: string;
}

/**
 * The tenant rules of the platform, in one place for the backend, search and scaffolder:
 * who belongs to which tenant, which tenant an entity or an Argo CD Application belongs to,
 * and who sees what. Membership is read only from User and Group entities of trusted
 * origins, so registering a Group (or a User) anywhere else joins no tenant.
 *
 * @public
 */
export class TenantResolver {
  readonly naming: TenantNaming;
  readonly #adminGroups: ReadonlySet<string>;
  readonly #trustedOrigins: readonly string[];
  readonly #options: TenantResolverOptions;
  readonly #catalog: TenantCatalog;
  readonly #userInfo: Pick<UserInfoService, 'getUserInfo'>;
  readonly #auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  readonly #cache: TenantEntityCache;

  /**
   * Reads `gitops.tenancy`. Trusted origins are the config's own `catalog.locations` and
   * `gitops.tenancy.trustedOrigins` (entity providers: the identity provider's groups).
   */
  static fromConfig(
    config: Config,
    deps: Omit<
      TenantResolverOptions,
      'naming' | 'adminGroups' | 'trustedOrigins'
    >,
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
      trustedOrigins: [
        ...configuredCatalogOrigins(config),
        ...(tenancy?.getOptionalStringArray('trustedOrigins') ?? []),
      ],
    });
  }

  constructor(options: TenantResolverOptions) {
    this.#options = options;
    this.naming = options.naming;
    this.#adminGroups = new Set(
      options.adminGroups.map(g =>
        normalizeEntityRef(g, { kind: 'group', namespace: 'default' }),
      ),
    );
    // An empty prefix would trust every origin, which is no rule at all.
    this.#trustedOrigins = options.trustedOrigins.filter(o => o.length > 0);
    this.#catalog = options.catalog;
    this.#userInfo = options.userInfo;
    this.#auth = options.auth;
    this.#cache =
      options.cache ??
      new TenantEntityCache({
        ttlMs: options.groupCacheTtlMs,
        now: options.now,
      });
  }

  /**
   * The same resolver (same trust rules, same group cache) with some rules replaced; the
   * gitops plugin applies its tenancy extension point this way.
   */
  withRules(rules: {
    callerTenants?: CallerTenantsRule;
    environment?: ApplicationEnvironmentRule;
  }): TenantResolver {
    return new TenantResolver({
      ...this.#options,
      cache: this.#cache,
      callerTenants: rules.callerTenants ?? this.#options.callerTenants,
      environment: rules.environment ?? this.#options.environment,
    });
  }

  /** Whether the catalog got this entity from a trusted origin. */
  isTrusted(entity: TenantEntity | undefined): boolean {
    return this.#isTrustedOrigin(
      entity?.metadata.annotations?.[ANNOTATION_ORIGIN_LOCATION],
    );
  }

  #isTrustedOrigin(origin: unknown): boolean {
    return (
      typeof origin === 'string' &&
      this.#trustedOrigins.some(prefix => origin.startsWith(prefix))
    );
  }

  /**
   * The tenants of a signed-in user: those of the trusted groups among their ownership refs,
   * or every tenant for members of trusted `adminGroups`. The user's own entity, when the
   * catalog has one, must be trusted too. Anything but a user
   * principal gets nothing, so a misrouted service token can never widen visibility.
   */
  async getCallerTenants(
    credentials: BackstageCredentials,
  ): Promise<CallerTenants> {
    const rule = this.#options.callerTenants;
    if (!rule) return this.#defaultCallerTenants(credentials);
    return rule(credentials, {
      getDefault: () => this.#defaultCallerTenants(credentials),
    });
  }

  async #defaultCallerTenants(
    credentials: BackstageCredentials,
  ): Promise<CallerTenants> {
    const nothing = { isAdmin: false, tenants: new Set<string>() };
    if (
      credentials.principal === null ||
      typeof credentials.principal !== 'object'
    ) {
      return nothing;
    }
    const principal = credentials.principal as { type?: string };
    if (principal.type !== 'user') return nothing;
    const { userEntityRef, ownershipEntityRefs } =
      await this.#userInfo.getUserInfo(credentials);
    const userRef = normalizeEntityRef(userEntityRef, {
      kind: 'user',
      namespace: 'default',
    });
    const groups = [
      ...new Set(
        ownershipEntityRefs
          .map(r =>
            normalizeEntityRef(r, { kind: 'group', namespace: 'default' }),
          )
          .filter(r => r.startsWith('group:')),
      ),
    ];
    const [user, ...known] = await this.#lookUp([userRef, ...groups]);
    // A User entity from an untrusted origin could claim any group through its memberOf. A
    // user the catalog does not hold got its ownership refs from the sign-in resolver itself.
    if (user.kind !== undefined && !(user.kind === 'user' && user.trusted)) {
      return nothing;
    }
    const trustedGroups = groups.filter(
      (_, i) => known[i].kind === 'group' && known[i].trusted,
    );
    const ownershipRefs = [userRef, ...trustedGroups];
    if (trustedGroups.some(r => this.#adminGroups.has(r))) {
      return { isAdmin: true, tenants: new Set(), ownershipRefs };
    }
    const tenants = new Set<string>();
    known.forEach(k => {
      if (k.kind === 'group' && k.tenant) tenants.add(k.tenant);
    });
    return { isAdmin: false, tenants, ownershipRefs };
  }

  /**
   * An entity's tenant: its own annotation when the entity comes from a trusted origin, else
   * that of its owner group (a trusted one).
   */
  async getEntityTenant(entity: TenantEntity): Promise<string | undefined> {
    const own = this.isTrusted(entity) ? tenantAnnotationOf(entity) : undefined;
    if (own) return own;
    const owner = entity.spec?.owner;
    if (typeof owner !== 'string' || !owner.trim()) return undefined;
    const ownerRef = normalizeEntityRef(owner.trim(), {
      kind: 'group',
      namespace: entity.metadata.namespace ?? 'default',
    });
    if (!ownerRef.startsWith('group:')) return undefined;
    const [group] = await this.#lookUp([ownerRef]);
    return group.kind === 'group' ? group.tenant : undefined;
  }

  /** An Application's tenant, from its AppProject; undefined outside every tenant project. */
  getApplicationTenant(project: string | undefined): string | undefined {
    return this.naming.tenantOfProject(project);
  }

  /**
   * An Application's environment: the `kupe.cloud/environment` label (normalized), else the
   * short name of its tenant's destination cluster; an extension may replace the rule.
   */
  getApplicationEnvironment(app: Application): string | undefined {
    const tenant = this.getApplicationTenant(app.spec?.project);
    const getDefault = () => {
      const labelled = app.metadata.labels?.[ENVIRONMENT_LABEL]?.trim();
      if (labelled) return normalizeEnvironment(labelled);
      return tenant
        ? this.naming.shortClusterOf(tenant, app.spec?.destination?.name)
        : undefined;
    };
    const rule = this.#options.environment;
    return (
      (rule ? rule(app, { tenant, getDefault }) : getDefault()) || undefined
    );
  }

  /** Whether the caller may see something of `tenant`; tenantless things only admins see. */
  canSee(caller: CallerTenants, tenant: string | undefined): boolean {
    if (caller.isAdmin) return true;
    return tenant !== undefined && caller.tenants.has(tenant);
  }

  async #lookUp(refs: string[]): Promise<KnownEntity[]> {
    const facts = await this.#cache.lookUp(refs, missing =>
      this.#load(missing),
    );
    return facts.map(f => this.#judgeFacts(f));
  }

  #judgeFacts(facts: TenantEntityFacts): KnownEntity {
    const trusted = this.#isTrustedOrigin(facts.origin);
    return {
      kind: facts.kind,
      trusted,
      tenant: trusted ? facts.tenant : undefined,
    };
  }

  async #load(refs: string[]): Promise<Array<TenantEntity | undefined>> {
    // Users and groups are platform facts, read with the plugin's own identity so a user's
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
    return items;
  }
}
