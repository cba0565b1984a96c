import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type {
  EntityApplicationsResponse,
  InstanceError,
} from '@kupe/plugin-gitops-common';
import {
  ARGOCD_INSTANCE_NAME_ANNOTATION,
  compareEnvironments,
} from '@kupe/plugin-gitops-common';
import type { ArgoCdService, TenantResolver } from '@kupe/plugin-gitops-node';
import type { ApplicationIndex } from '../applicationIndex/ApplicationIndex';
import type { IndexedApplication } from '../applicationIndex/IndexedApplication';
import type {
  InstanceFreshness,
  InstanceIndex,
} from '../applicationIndex/InstanceIndex';
import type { ApplicationAccess } from './ApplicationAccess';
import {
  type EntityApplicationSpec,
  matchesEntitySpec,
  readEntityApplicationSpec,
} from './entityApplicationSpec';
import {
  EntityViewCache,
  type EntityViewCacheOptions,
} from './EntityViewCache';
import { toApplicationSummary } from './toApplicationSummary';

/**
 * The apps of an instance an entity's spec selects, found by lookup: its named apps, and the
 * candidates of its selector (the bucket of its most selective `=` / `in` requirement, or of
 * its project), each checked against the whole spec. Costs what the entity has, not what the
 * index holds; only a selector without any `=` / `in` and no project scans the index.
 */
export function selectEntityApplications(
  spec: EntityApplicationSpec,
  index: InstanceIndex,
): IndexedApplication[] {
  const matched = new Set<IndexedApplication>();
  for (const name of spec.names) {
    for (const app of index.findByName(name)) {
      if (matchesEntitySpec(spec, app)) matched.add(app);
    }
  }
  if (spec.selector) {
    for (const app of index.candidates(spec.selector, spec.project)) {
      if (matchesEntitySpec(spec, app)) matched.add(app);
    }
  }
  return [...matched];
}

/** When an instance last answered, to the second (so repeated reads give the same time). */
function lastHeardFrom(ageMs: number): string {
  return new Date(Math.floor((Date.now() - ageMs) / 1000) * 1000).toISOString();
}

/** Why an instance shows none of an entity's apps, or that it shows them. */
type InstanceState =
  | { name: string; state: 'unknown' }
  | { name: string; state: 'unreached' }
  | { name: string; state: 'loaded'; index: InstanceIndex };

/**
 * What a caller may see of an entity, before the freshness of each instance is read: the
 * reason it is withheld, or per instance whether it answered and the apps' summaries (tenant
 * rule and read permission applied), in the order the answer lists them. Summarized once per
 * view: a view is dropped with any index change of its apps, so its summaries are as current
 * as the records it was computed from; every answer adds only the freshness.
 */
type EntityView =
  | { withheld: NonNullable<EntityApplicationsResponse['withheld']> }
  /**
   * The index's own records, sorted: a view holds references, not copies, so thousands of
   * remembered views cost the index nothing more. A record is current for as long as the view
   * lives (an index change drops the view); each answer summarizes it with its freshness.
   */
  | { instances: InstanceState[]; apps: IndexedApplication[] };

const byEnvironmentThenName = (a: IndexedApplication, b: IndexedApplication) =>
  compareEnvironments(a.environment ?? '~', b.environment ?? '~') ||
  a.name.localeCompare(b.name) ||
  a.instance.localeCompare(b.instance) ||
  // Same name in two app namespaces: a fixed order, whatever the lookup's order.
  a.appNamespace.localeCompare(b.appNamespace);

function userOf(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as
    | { type?: string; userEntityRef?: string }
    | undefined;
  return principal?.type === 'user' ? principal.userEntityRef : undefined;
}

/**
 * The applications of a catalog entity, read from the index: no Argo CD request in steady
 * state. An app shows only if its tenant is the entity's AND one of the caller's (admins see
 * all), so an entity annotated with another tenant's app names reveals nothing.
 *
 * What a user may see of an entity is computed once and shared (see {@link EntityViewCache}):
 * a page's list, event stream and quarantine banner ask for it together, and an index change
 * that concerns the entity drops it at once. The freshness of each instance is read for every
 * answer.
 */
export class EntityApplications {
  readonly #index: ApplicationIndex;
  /** Each instance's Argo CD UI URL, for the summaries' links: the instances are configured once. */
  readonly #uiUrls: ReadonlyMap<string, string | undefined>;
  readonly #tenants: TenantResolver;
  readonly #access: ApplicationAccess;
  readonly #views: EntityViewCache<EntityView>;

  constructor(options: {
    index: ApplicationIndex;
    argoCd: ArgoCdService;
    tenants: TenantResolver;
    access: ApplicationAccess;
    /** Reuse of a user's view of an entity (default 5 s); `{ ttlMs: 0 }` computes every one. */
    viewCache?: EntityViewCacheOptions;
  }) {
    this.#index = options.index;
    this.#uiUrls = new Map(
      options.argoCd.listInstances().map(i => [i.name, i.uiUrl]),
    );
    this.#tenants = options.tenants;
    this.#access = options.access;
    this.#views = new EntityViewCache(options.viewCache);
    this.#index.subscribe((instance, change) =>
      this.#views.invalidate(instance, change),
    );
  }

  /** Instances an entity's apps may live on: its annotation, else all of them. */
  instancesOf(entity: Entity): string[] {
    const spec = readEntityApplicationSpec(entity);
    return spec.instance ? [spec.instance] : this.#index.instances();
  }

  async load(
    entity: Entity,
    credentials: BackstageCredentials,
  ): Promise<EntityApplicationsResponse> {
    const spec = readEntityApplicationSpec(entity);
    if (spec.names.length === 0 && !spec.selector)
      return { items: [], errors: [] };
    const instances = spec.instance ? [spec.instance] : this.#index.instances();
    const compute = () => this.#view(entity, spec, instances, credentials);
    const user = userOf(credentials);
    const view = await (user
      ? this.#views.get(user, entity, spec, instances, compute)
      : compute());
    return this.#answer(view);
  }

  async #view(
    entity: Entity,
    spec: EntityApplicationSpec,
    instances: string[],
    credentials: BackstageCredentials,
  ): Promise<EntityView> {
    const [caller, entityTenant] = await Promise.all([
      this.#access.caller(credentials),
      this.#tenants.getEntityTenant(entity),
    ]);
    // Outside admins, an entity without a tenant, or of a tenant the caller is not in, shows
    // nothing. Why is said from the entity alone (its tenant, which the caller reads in the
    // catalog anyway), before any index is read: nothing about the apps themselves leaks.
    if (!caller.isAdmin && !entityTenant) {
      return { withheld: { reason: 'no-tenant' } };
    }
    if (!caller.isAdmin && !caller.tenants.has(entityTenant!)) {
      return { withheld: { reason: 'not-a-member', tenant: entityTenant } };
    }
    const matched: IndexedApplication[] = [];
    const states = await Promise.all(
      instances.map(async (name): Promise<InstanceState> => {
        let index;
        try {
          index = this.#index.instance(name);
        } catch {
          return { name, state: 'unknown' };
        }
        if (!(await this.#index.whenReady(index)))
          return { name, state: 'unreached' };
        matched.push(
          ...selectEntityApplications(spec, index).filter(
            app => caller.isAdmin || app.tenant === entityTenant,
          ),
        );
        return { name, state: 'loaded', index };
      }),
    );
    // One permission decision for the apps of every instance: it is the caller's, not the
    // instance's.
    const apps = await this.#access.filterReadable(
      credentials,
      caller,
      matched,
    );
    return { instances: states, apps: apps.sort(byEnvironmentThenName) };
  }

  #answer(view: EntityView): EntityApplicationsResponse {
    if ('withheld' in view)
      return { items: [], errors: [], withheld: view.withheld };
    const errors: InstanceError[] = [];
    const freshness = new Map<string, InstanceFreshness>();
    for (const instance of view.instances) {
      const { name } = instance;
      // In words for a person: the socket error (ECONNREFUSED ...) is the index's log line,
      // not something a developer can act on.
      if (instance.state === 'unknown') {
        errors.push({
          instance: name,
          message: `The portal has no Argo CD instance named ${JSON.stringify(
            name,
          )}; check the entity's ${ARGOCD_INSTANCE_NAME_ANNOTATION} annotation.`,
        });
      } else if (instance.state === 'unreached') {
        errors.push({
          instance: name,
          message:
            'The portal has not reached this Argo CD instance since its backend started, so its applications are not shown.',
        });
      } else {
        const current = instance.index.freshness();
        freshness.set(name, current);
        if (current.stale) {
          errors.push({
            instance: name,
            message:
              'Its applications show their last known state; sync and health may have changed since.',
            since: lastHeardFrom(current.ageMs),
          });
        }
      }
    }
    const items = view.apps.map(app =>
      toApplicationSummary(
        app,
        freshness.get(app.instance)!,
        this.#uiUrls.get(app.instance),
      ),
    );
    errors.sort((a, b) => a.instance.localeCompare(b.instance));
    return { items, errors };
  }
}
