import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  type Entity,
  RELATION_OWNED_BY,
  parseEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { applicationResourceRef } from '@kupe/plugin-gitops-common';
import {
  OwningEntityIndex,
  type TenantResolver,
  normalizeEntityRef,
} from '@kupe/plugin-gitops-node';
import type { IndexedApplication } from '../applicationIndex/IndexedApplication';

/** Who hears about an app: the entity that owns it and that entity's owners. */
export interface AppRecipients {
  entityRef: string;
  entityName: string;
  /** The entity's GitOps tab, focused on the app. */
  link: string;
  owners: string[];
}

// The owning-entity index reads every GitOps-annotated entity; failures are rare, so it is
// kept a while instead of read per notification.
const OWNERS_TTL_MS = 5 * 60_000;

/**
 * The team that hears about an app, for every notification the plugin sends (validation,
 * paused auto-sync, quarantine): the groups owning the app's catalog entity. The entity is
 * found as search finds it (`OwningEntityIndex`), and must be of the app's tenant, so
 * annotating another tenant's app never subscribes anyone to it. One instance per backend,
 * so the owners are read once per TTL, not once per feature.
 */
export class TeamRecipients {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #tenants: TenantResolver;
  readonly #logger: LoggerService;
  readonly #defaultInstance: string | undefined;
  readonly #now: () => number;
  #owners: { index: Promise<OwningEntityIndex>; expiresAt: number } | undefined;

  constructor(options: {
    catalog: CatalogService;
    auth: AuthService;
    tenants: TenantResolver;
    logger: LoggerService;
    defaultInstance: string | undefined;
    now?: () => number;
  }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#tenants = options.tenants;
    this.#logger = options.logger;
    this.#defaultInstance = options.defaultInstance;
    this.#now = options.now ?? Date.now;
  }

  /** The recipients of an app's notifications; undefined when no entity of its tenant owns it. */
  async recipientsOf(
    app: Pick<
      IndexedApplication,
      'instance' | 'appNamespace' | 'name' | 'labels' | 'tenant'
    >,
  ): Promise<AppRecipients | undefined> {
    if (!app.tenant) return undefined;
    const owning = (await this.#ownerIndex()).find(app.instance, app);
    if (!owning) return undefined;
    const credentials = await this.#auth.getOwnServiceCredentials();
    const entity = (await this.#catalog.getEntityByRef(owning.ref, {
      credentials,
    })) as Entity | undefined;
    if (!entity) return undefined;
    if ((await this.#tenants.getEntityTenant(entity)) !== app.tenant) {
      return undefined;
    }
    const owners = new Set<string>();
    for (const relation of entity.relations ?? []) {
      if (relation.type === RELATION_OWNED_BY) owners.add(relation.targetRef);
    }
    const owner = entity.spec?.owner;
    if (owners.size === 0 && typeof owner === 'string' && owner.trim()) {
      owners.add(
        normalizeEntityRef(owner.trim(), {
          kind: 'group',
          namespace: entity.metadata.namespace ?? 'default',
        }),
      );
    }
    if (owners.size === 0) return undefined;
    return {
      entityRef: owning.ref,
      entityName: parseEntityRef(owning.ref).name,
      link: `${owning.location}?application=${encodeURIComponent(
        applicationResourceRef(app),
      )}`,
      owners: [...owners],
    };
  }

  #ownerIndex(): Promise<OwningEntityIndex> {
    const now = this.#now();
    if (!this.#owners || this.#owners.expiresAt <= now) {
      const index = this.#auth.getOwnServiceCredentials().then(credentials =>
        OwningEntityIndex.load({
          catalog: this.#catalog,
          credentials,
          defaultInstance: this.#defaultInstance,
          logger: this.#logger,
        }),
      );
      this.#owners = { index, expiresAt: now + OWNERS_TTL_MS };
      // A failed read must not be cached for the whole TTL.
      index.catch(() => {
        if (this.#owners?.index === index) this.#owners = undefined;
      });
    }
    return this.#owners.index;
  }
}
