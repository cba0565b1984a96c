import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  type Entity,
  RELATION_OWNED_BY,
  parseEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { NotificationPayload } from '@backstage/plugin-notifications-common';
import { applicationResourceRef } from '@kupe/plugin-gitops-common';
import {
  OwningEntityIndex,
  type TenantResolver,
  normalizeEntityRef,
} from '@kupe/plugin-gitops-node';
import type { IndexedApplication } from '../applicationIndex/IndexedApplication';
import type { AlertKind, StoredRollout } from './RolloutStore';

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
const MAX_DESCRIPTION = 1_000;

function shortRevision(revision: string | undefined): string | undefined {
  if (!revision) return undefined;
  return /^[0-9a-f]{40}$/.test(revision) ? revision.slice(0, 7) : revision;
}

/** "40 s", "15 min", "3 h", "2 days". */
function elapsed(ms: number): string {
  const m = Math.round(ms / 60_000);
  if (m < 1) return `${Math.round(ms / 1000)} s`;
  if (m < 120) return `${m} min`;
  const h = Math.round(m / 60);
  if (h < 48) return h === 24 ? '1 day' : `${h} h`;
  return `${Math.round(h / 24)} days`;
}

/**
 * Sends the validation notifications through Backstage notifications to the groups owning
 * the app's catalog entity. The entity is found as search finds it (`OwningEntityIndex`), and
 * must be of the app's tenant, so annotating another tenant's app never subscribes anyone
 * to it. Payloads carry names, reasons and portal links only, never credentials.
 */
export class ValidationNotifier {
  readonly #notifications: NotificationService;
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #tenants: TenantResolver;
  readonly #logger: LoggerService;
  readonly #defaultInstance: string | undefined;
  readonly #now: () => number;
  #owners: { index: Promise<OwningEntityIndex>; expiresAt: number } | undefined;

  constructor(options: {
    notifications: NotificationService;
    catalog: CatalogService;
    auth: AuthService;
    tenants: TenantResolver;
    logger: LoggerService;
    defaultInstance: string | undefined;
    now?: () => number;
  }) {
    this.#notifications = options.notifications;
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

  /** "acme-web staging rollout failed: Degraded". False when nobody owns the app. */
  async rolloutFailed(
    rollout: StoredRollout,
    app: Pick<IndexedApplication, 'labels'>,
  ): Promise<boolean> {
    const recipients = await this.recipientsOf({ ...rollout, ...app });
    if (!recipients) return false;
    const reason = rollout.reason ?? 'failed';
    const headline = reason.split(':')[0];
    const where = rollout.environment ?? rollout.name;
    const revision = shortRevision(rollout.revision);
    await this.#send(recipients, {
      title: `${recipients.entityName} ${where} rollout failed: ${headline}`,
      description: `${rollout.name} on Argo CD instance ${rollout.instance}${
        revision ? `, revision ${revision}` : ''
      }: ${reason}`.slice(0, MAX_DESCRIPTION),
      link: recipients.link,
      severity: 'high',
      topic: `gitops:${applicationResourceRef(rollout)}`,
      scope: `gitops-rollout:${rollout.key}`,
    });
    return true;
  }

  /**
   * "acme-web production has been Degraded for 15 min", or for a manual-sync app's
   * `awaiting-sync` episode the reminder "acme-web production: a change has waited 1 day for
   * sync approval". False when nobody owns the app.
   */
  async stillUnhealthy(
    app: IndexedApplication,
    kind: AlertKind,
    since: number,
  ): Promise<boolean> {
    const recipients = await this.recipientsOf(app);
    if (!recipients) return false;
    const where = app.environment ?? app.name;
    const waited = elapsed(this.#now() - since);
    const revision = shortRevision(app.revision);
    const common = {
      link: recipients.link,
      topic: `gitops:${applicationResourceRef(app)}`,
      scope: `gitops-${kind}:${applicationResourceRef(app)}:${since}`,
    };
    if (kind === 'awaiting-sync') {
      await this.#send(recipients, {
        title: `${recipients.entityName} ${where}: a change has waited ${waited} for sync approval`,
        description: `${app.name} on Argo CD instance ${
          app.instance
        } has a manual sync policy and is OutOfSync with ${
          revision ? `revision ${revision}` : 'its target revision'
        }; it deploys once someone syncs it.`.slice(0, MAX_DESCRIPTION),
        severity: 'low',
        ...common,
      });
      return true;
    }
    const state = kind === 'degraded' ? 'Degraded' : 'OutOfSync';
    const detail =
      kind === 'degraded'
        ? app.healthMessage || app.degradedResources?.join('; ')
        : app.operation?.message ?? `target revision ${app.revision ?? '?'}`;
    await this.#send(recipients, {
      title: `${recipients.entityName} ${where} has been ${state} for ${waited}`,
      description: `${app.name} on Argo CD instance ${
        app.instance
      } is ${state}${detail ? `: ${detail}` : ''}`.slice(0, MAX_DESCRIPTION),
      severity: kind === 'degraded' ? 'high' : 'normal',
      ...common,
    });
    return true;
  }

  async #send(
    recipients: AppRecipients,
    payload: NotificationPayload,
  ): Promise<void> {
    await this.#notifications.send({
      recipients: { type: 'entity', entityRef: recipients.owners },
      payload,
    });
    this.#logger.info(
      `Sent notification "${payload.title}" to ${recipients.owners.join(', ')}`,
    );
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
