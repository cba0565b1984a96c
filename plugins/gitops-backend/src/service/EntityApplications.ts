import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type {
  ApplicationSummary,
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
import type { InstanceIndex } from '../applicationIndex/InstanceIndex';
import type { ApplicationAccess } from './ApplicationAccess';
import {
  type EntityApplicationSpec,
  matchesEntitySpec,
  readEntityApplicationSpec,
} from './entityApplicationSpec';
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

/**
 * The applications of a catalog entity, read from the index: no Argo CD request in steady
 * state. An app shows only if its tenant is the entity's AND one of the caller's (admins see
 * all), so an entity annotated with another tenant's app names reveals nothing.
 */
export class EntityApplications {
  readonly #index: ApplicationIndex;
  readonly #argoCd: ArgoCdService;
  readonly #tenants: TenantResolver;
  readonly #access: ApplicationAccess;

  constructor(options: {
    index: ApplicationIndex;
    argoCd: ArgoCdService;
    tenants: TenantResolver;
    access: ApplicationAccess;
  }) {
    this.#index = options.index;
    this.#argoCd = options.argoCd;
    this.#tenants = options.tenants;
    this.#access = options.access;
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
    const [caller, entityTenant] = await Promise.all([
      this.#access.caller(credentials),
      this.#tenants.getEntityTenant(entity),
    ]);
    const uiUrls = new Map(
      this.#argoCd.listInstances().map(i => [i.name, i.uiUrl]),
    );
    const instances = spec.instance ? [spec.instance] : this.#index.instances();
    const errors: InstanceError[] = [];
    const items: ApplicationSummary[] = [];

    if (spec.names.length === 0 && !spec.selector) return { items, errors };
    // Outside admins, an entity without a tenant, or of a tenant the caller is not in, shows
    // nothing. Why is said from the entity alone (its tenant, which the caller reads in the
    // catalog anyway), before any index is read: nothing about the apps themselves leaks.
    if (!caller.isAdmin && !entityTenant) {
      return { items, errors, withheld: { reason: 'no-tenant' } };
    }
    if (!caller.isAdmin && !caller.tenants.has(entityTenant!)) {
      return {
        items,
        errors,
        withheld: { reason: 'not-a-member', tenant: entityTenant },
      };
    }

    await Promise.all(
      instances.map(async name => {
        let index;
        try {
          index = this.#index.instance(name);
        } catch {
          errors.push({
            instance: name,
            message: `The portal has no Argo CD instance named ${JSON.stringify(
              name,
            )}; check the entity's ${ARGOCD_INSTANCE_NAME_ANNOTATION} annotation.`,
          });
          return;
        }
        const loaded = await this.#index.whenReady(index);
        const freshness = index.freshness();
        // In words for a person: the socket error (ECONNREFUSED ...) is the index's log line,
        // not something a developer can act on.
        if (!loaded) {
          errors.push({
            instance: name,
            message:
              'The portal has not reached this Argo CD instance since its backend started, so its applications are not shown.',
          });
          return;
        }
        if (freshness.stale) {
          errors.push({
            instance: name,
            message:
              'Its applications show their last known state; sync and health may have changed since.',
            since: lastHeardFrom(freshness.ageMs),
          });
        }
        const matched = selectEntityApplications(spec, index).filter(
          app => caller.isAdmin || app.tenant === entityTenant,
        );
        const readable = await this.#access.filterReadable(
          credentials,
          caller,
          matched,
        );
        for (const app of readable) {
          items.push(toApplicationSummary(app, freshness, uiUrls.get(name)));
        }
      }),
    );

    items.sort(
      (a, b) =>
        compareEnvironments(a.environment ?? '~', b.environment ?? '~') ||
        a.name.localeCompare(b.name) ||
        a.instance.localeCompare(b.instance) ||
        // Same name in two app namespaces: a fixed order, whatever the lookup's order.
        a.appNamespace.localeCompare(b.appNamespace),
    );
    errors.sort((a, b) => a.instance.localeCompare(b.instance));
    return { items, errors };
  }
}
