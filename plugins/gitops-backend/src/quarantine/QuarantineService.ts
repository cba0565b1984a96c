import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  type ApplicationHistoryEntry,
  type EntityApplicationsResponse,
  type Quarantine,
  type QuarantinedDeployment,
  type RunningQuarantine,
  gitOpsReleaseQuarantinePermission,
  requireDns1123Label,
} from '@kupe/plugin-gitops-common';
import type { TenantResolver } from '@kupe/plugin-gitops-node';
import type { ApplicationIndex } from '../applicationIndex/ApplicationIndex';
import type { IndexedApplication } from '../applicationIndex/IndexedApplication';
import type { GitOperations } from '../gitOperations/GitOperations';
import type {
  ApplicationAccess,
  VisibleApplication,
} from '../service/ApplicationAccess';
import type { ApplicationDetails } from '../service/ApplicationDetails';
import {
  type EntityApplications,
  selectEntityApplications,
} from '../service/EntityApplications';
import { readEntityApplicationSpec } from '../service/entityApplicationSpec';
import { mapLimited } from '../service/mapLimited';
import { ActiveQuarantines } from './ActiveQuarantines';
import { covers } from './ReleaseQuarantine';
import type { QuarantineStore, StoredQuarantine } from './QuarantineStore';
import { releaseHolds, runningVersion } from './releaseVersion';

const CONCURRENCY = 4;
/** How long a list waits for the apps' histories before answering without them. */
const HISTORY_BUDGET_MS = 3_000;
const HISTORY_TTL_MS = 60_000;
const HISTORY_CACHE_SIZE = 500;
const iso = (t: number) => new Date(t).toISOString();
const refOf = (app: IndexedApplication) => ({
  instance: app.instance,
  appNamespace: app.appNamespace,
  name: app.name,
  ...(app.environment ? { environment: app.environment } : {}),
});

/** The apps among `apps` that run the quarantined version (covered by the quarantine). */
const runningIn = (q: StoredQuarantine, apps: IndexedApplication[]) =>
  apps.filter(
    app => covers(q, app) && releaseHolds(runningVersion(app), q.version),
  );

/** An app's history entries with the image tags and chart versions each deployed. */
type HistoryVersions = Array<{
  entry: ApplicationHistoryEntry;
  images: string[];
  chartVersions: string[];
}>;

/** Tells the owning team where a newly quarantined version still runs. */
export interface QuarantineNotifications {
  quarantined(
    quarantine: StoredQuarantine,
    runningIn: IndexedApplication[],
  ): Promise<void>;
}

/**
 * Quarantines of an entity (the service) and of a tenant: listed, added and lifted inside the
 * caller's tenants only. An entity whose applications the caller does not see (another
 * tenant's) answers 404 like a missing one; adding and lifting need
 * `gitops.release.quarantine` on every application of the entity the caller sees.
 */
export class QuarantineService {
  readonly #store: QuarantineStore;
  readonly #index: ApplicationIndex;
  readonly #access: ApplicationAccess;
  readonly #entityApplications: EntityApplications;
  readonly #tenants: TenantResolver;
  readonly #details: Pick<ApplicationDetails, 'detail'>;
  readonly #gitOperations: Pick<GitOperations, 'versionsAt'>;
  readonly #notifications: QuarantineNotifications;
  readonly #active: ActiveQuarantines;
  readonly #historyCache = new Map<
    string,
    {
      value: Promise<HistoryVersions>;
      expiresAt: number;
    }
  >();

  constructor(options: {
    store: QuarantineStore;
    index: ApplicationIndex;
    access: ApplicationAccess;
    entityApplications: EntityApplications;
    tenants: TenantResolver;
    details: Pick<ApplicationDetails, 'detail'>;
    gitOperations: Pick<GitOperations, 'versionsAt'>;
    notifications: QuarantineNotifications;
  }) {
    this.#store = options.store;
    this.#index = options.index;
    this.#access = options.access;
    this.#entityApplications = options.entityApplications;
    this.#tenants = options.tenants;
    this.#details = options.details;
    this.#gitOperations = options.gitOperations;
    this.#notifications = options.notifications;
    this.#active = new ActiveQuarantines(options.store);
  }

  /**
   * Calls `listener` with an entity's ref when one of its quarantines is added or lifted
   * through this replica (an open page's stream then sends its new count); returns the
   * unsubscribe.
   */
  subscribe(listener: (entityRef: string) => void): () => void {
    return this.#active.subscribe(listener);
  }

  /** The entity's quarantines with where each runs now and which history entries ran it. */
  async listForEntity(
    entity: Entity,
    credentials: BackstageCredentials,
    options: { includeLifted?: boolean } = {},
  ): Promise<Quarantine[]> {
    const { tenant, apps } = await this.#entityScope(entity, credentials);
    const stored = (
      await this.#store.listByEntity(stringifyEntityRef(entity), options)
    ).filter(q => q.tenant === tenant);
    const active = stored.filter(q => !q.lifted);
    const history =
      active.length === 0
        ? new Map<string, QuarantinedDeployment[]>()
        : await this.#deployedIn(credentials, apps, active);
    // deployedIn is left out while the histories are still being read.
    return stored.map(q =>
      this.#toQuarantine(q, apps, history && (history.get(q.id) ?? [])),
    );
  }

  /**
   * How many of the entity's active quarantines name a version that one of the applications
   * in `loaded` (the caller's answer of the entity's applications) runs: what the entity's
   * banner shows, so that a page asks for the quarantines only when there are some.
   */
  async countRunning(
    entity: Entity,
    loaded: EntityApplicationsResponse,
  ): Promise<number> {
    if (loaded.withheld || loaded.items.length === 0) return 0;
    const entityRef = stringifyEntityRef(entity);
    // Most entities have no active quarantine at all: when the shared reading says so, that
    // is the answer, before the tenant lookup and the apps (none of it can make it other).
    if (this.#active.peek(entityRef)?.length === 0) return 0;
    const tenant = await this.#tenants.getEntityTenant(entity);
    if (!tenant) return 0;
    const apps = this.#indexedOfTenant(loaded, tenant);
    if (apps.length === 0) return 0;
    // From the shared reading, not a query per view: see ActiveQuarantines.
    const active = await this.#active.ofEntity(entityRef);
    return active.filter(
      q => q.tenant === tenant && runningIn(q, apps).length > 0,
    ).length;
  }

  /** Quarantines the version; notifies the owning team where it still runs. */
  async add(
    entity: Entity,
    credentials: BackstageCredentials,
    request: { version: string; reason: string; requestedBy: string },
  ): Promise<Quarantine> {
    const { tenant, apps } = await this.#entityScope(entity, credentials, {
      write: true,
    });
    const stored = await this.#store.add({
      tenant,
      entityRef: stringifyEntityRef(entity),
      selection: readEntityApplicationSpec(entity),
      version: request.version,
      reason: request.reason.trim(),
      createdBy: request.requestedBy,
    });
    const running = apps.filter(app =>
      releaseHolds(runningVersion(app), stored.version),
    );
    // Sent in the background: the quarantine stands whether or not the owners' catalog
    // entities and the notification service answer quickly (the notifier logs failures).
    if (running.length > 0)
      void this.#notifications.quarantined(stored, running);
    this.#active.changed(stored.entityRef);
    return this.#toQuarantine(stored, apps);
  }

  /** Lifts one of the entity's quarantines; 404 for an id of another entity or tenant. */
  async lift(
    entity: Entity,
    credentials: BackstageCredentials,
    id: string,
    request: { reason: string; requestedBy: string },
  ): Promise<Quarantine> {
    const { tenant, apps } = await this.#entityScope(entity, credentials, {
      write: true,
    });
    const existing = await this.#store.get(id);
    if (
      !existing ||
      existing.tenant !== tenant ||
      existing.entityRef !== stringifyEntityRef(entity)
    ) {
      throw new NotFoundError(`Quarantine ${JSON.stringify(id)} not found`);
    }
    let lifted;
    try {
      lifted = await this.#store.lift(id, {
        liftedBy: request.requestedBy,
        reason: request.reason.trim(),
      });
    } finally {
      // Also when another replica lifted it a moment before (409): this one's reading is old.
      this.#active.changed(existing.entityRef);
    }
    return this.#toQuarantine(lifted!, apps);
  }

  /** A tenant's quarantines, every service's, with where each runs now. */
  async listForTenant(
    tenant: string,
    credentials: BackstageCredentials,
    options: { includeLifted?: boolean } = {},
  ): Promise<Quarantine[]> {
    const name = requireDns1123Label('tenant', tenant);
    const caller = await this.#access.caller(credentials);
    if (!this.#tenants.canSee(caller, name)) {
      throw new NotFoundError(`Tenant ${JSON.stringify(name)} not found`);
    }
    const project = this.#tenants.naming.projectOf(name);
    const candidates: IndexedApplication[] = [];
    for (const instance of this.#index.instances()) {
      const index = this.#index.instance(instance);
      candidates.push(
        ...[...index.candidates(undefined, project)].filter(
          app => app.tenant === name,
        ),
      );
    }
    const apps = await this.#access.filterReadable(
      credentials,
      caller,
      candidates,
    );
    const stored = await this.#store.listByTenant(name, options);
    return stored.map(q =>
      this.#toQuarantine(
        q,
        apps.filter(app => covers(q, app)),
      ),
    );
  }

  /**
   * Every application that runs an actively quarantined version, with the version and the
   * reason: for the search collator (a service, not a user), which marks their documents.
   */
  async listRunning(): Promise<RunningQuarantine[]> {
    const running: RunningQuarantine[] = [];
    for (const q of await this.#store.listActive()) {
      for (const instance of this.#index.instances()) {
        const index = this.#index.instance(instance);
        for (const app of selectEntityApplications(q.selection, index)) {
          if (covers(q, app) && releaseHolds(runningVersion(app), q.version)) {
            running.push({
              instance: app.instance,
              appNamespace: app.appNamespace,
              name: app.name,
              version: q.version,
              reason: q.reason,
              entityRef: q.entityRef,
            });
          }
        }
      }
    }
    return running;
  }

  /**
   * The entity's tenant and the apps of it the caller sees (for writes: may quarantine, each
   * checked with the app as the resource). 404 when the caller sees none of them.
   */
  async #entityScope(
    entity: Entity,
    credentials: BackstageCredentials,
    options: { write?: boolean } = {},
  ): Promise<{ tenant: string; apps: IndexedApplication[] }> {
    const ref = stringifyEntityRef(entity);
    // Built only when thrown: an error's stack trace costs a card view about 3 % of its CPU.
    const notFound = () =>
      new NotFoundError(
        `Entity ${ref} has no Argo CD applications you can see`,
      );
    const loaded = await this.#entityApplications.load(entity, credentials);
    const tenant = await this.#tenants.getEntityTenant(entity);
    if (loaded.withheld || !tenant || loaded.items.length === 0)
      throw notFound();
    const apps: IndexedApplication[] = [];
    if (options.write) {
      for (const item of loaded.items) {
        const { app } = await this.#access.requireApplication(
          credentials,
          item,
          gitOpsReleaseQuarantinePermission,
        );
        if (app.tenant === tenant) apps.push(app);
      }
    } else {
      apps.push(...this.#indexedOfTenant(loaded, tenant));
    }
    if (apps.length === 0) throw notFound();
    return { tenant, apps };
  }

  /** The indexed applications of `loaded`'s items that are of the entity's tenant. */
  #indexedOfTenant(
    loaded: EntityApplicationsResponse,
    tenant: string,
  ): IndexedApplication[] {
    return loaded.items.flatMap(item => {
      const app = this.#index
        .instance(item.instance)
        .get(item.appNamespace, item.name);
      return app && app.tenant === tenant ? [app] : [];
    });
  }

  /** The history entries of the apps that deployed each quarantined version. */
  async #deployedIn(
    credentials: BackstageCredentials,
    apps: IndexedApplication[],
    quarantines: StoredQuarantine[],
  ): Promise<Map<string, QuarantinedDeployment[]> | undefined> {
    const result = new Map<string, QuarantinedDeployment[]>();
    let complete = true;
    await mapLimited(apps, CONCURRENCY, async app => {
      let history;
      try {
        const visible = await this.#access.requireApplication(credentials, app);
        history = await Promise.race([
          this.#cachedHistoryVersions(visible),
          new Promise<undefined>(resolve =>
            setTimeout(resolve, HISTORY_BUDGET_MS),
          ),
        ]);
      } catch {
        // Argo CD or the repository unreachable: the rows of this app stay unflagged, and
        // the environments that run the version are still known from the index.
        return;
      }
      if (!history) {
        complete = false;
        return;
      }
      for (const q of quarantines) {
        if (!covers(q, app)) continue;
        for (const { entry, images, chartVersions } of history) {
          const release = {
            images,
            chartVersions,
            revisions: entry.revision ? [entry.revision] : [],
          };
          if (!releaseHolds(release, q.version)) continue;
          const list = result.get(q.id) ?? [];
          list.push({
            ...refOf(app),
            historyId: entry.id,
            ...(entry.revision ? { revision: entry.revision } : {}),
          });
          result.set(q.id, list);
        }
      }
    });
    // Unknown until every app's history is read: the caller asks again shortly.
    return complete ? result : undefined;
  }

  /**
   * An app's history with the versions its revisions hold, read once a minute at most: the
   * repository is cloned for it, which can take longer than a list should wait.
   */
  #cachedHistoryVersions(visible: VisibleApplication) {
    const key = `${visible.app.instance}/${visible.app.appNamespace}/${visible.app.name}`;
    const now = Date.now();
    const cached = this.#historyCache.get(key);
    if (cached && cached.expiresAt > now) return cached.value;
    const value = this.#historyVersions(visible);
    this.#historyCache.set(key, { value, expiresAt: now + HISTORY_TTL_MS });
    value.catch(() => this.#historyCache.delete(key));
    if (this.#historyCache.size > HISTORY_CACHE_SIZE) {
      const oldest = this.#historyCache.keys().next().value;
      if (oldest !== undefined) this.#historyCache.delete(oldest);
    }
    return value;
  }

  async #historyVersions(
    visible: VisibleApplication,
  ): Promise<HistoryVersions> {
    const { history } = await this.#details.detail(visible, undefined);
    const revisions = history.flatMap(e => (e.revision ? [e.revision] : []));
    // Without the repository, rows are still matched by their revision and chart version.
    const versions =
      revisions.length === 0
        ? new Map()
        : await this.#gitOperations
            .versionsAt(visible, revisions)
            .catch(() => new Map());
    return history.map(entry => {
      const files = entry.revision ? versions.get(entry.revision) : undefined;
      return {
        entry,
        images: (files?.images ?? []).map((i: { tag: string }) => i.tag),
        chartVersions: [
          ...(entry.chartVersion ? [entry.chartVersion] : []),
          ...(files?.chartVersion ? [files.chartVersion] : []),
        ],
      };
    });
  }

  #toQuarantine(
    q: StoredQuarantine,
    apps: IndexedApplication[],
    /** The entity's list only: reading every history costs a clone per app. */
    deployedIn?: QuarantinedDeployment[],
  ): Quarantine {
    return {
      id: q.id,
      tenant: q.tenant,
      entityRef: q.entityRef,
      version: q.version,
      reason: q.reason,
      createdBy: q.createdBy,
      createdAt: iso(q.createdAt),
      active: !q.lifted,
      ...(q.lifted
        ? {
            liftedBy: q.lifted.by,
            liftedAt: iso(q.lifted.at),
            liftReason: q.lifted.reason,
          }
        : {}),
      runningIn: q.lifted ? [] : runningIn(q, apps).map(refOf),
      ...(q.lifted || !deployedIn ? {} : { deployedIn }),
    };
  }
}
