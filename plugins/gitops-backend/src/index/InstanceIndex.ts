import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Application, ArgoCdClient } from '@kupe/plugin-gitops-node';
import type { TenantNaming } from '@kupe/plugin-gitops-common';
import type { LabelSelectorRequirement } from '@kupe/plugin-gitops-node';
import type { BackendOptions } from '../config/BackendOptions';
import { ApplicationLookup } from './ApplicationLookup';
import {
  type IndexedApplication,
  toIndexedApplication,
} from './IndexedApplication';

/** How fresh an instance's data is. */
export interface InstanceFreshness {
  /** A full listing has succeeded at least once. */
  loaded: boolean;
  stale: boolean;
  /** Milliseconds since the last successful contact; 0 while the watch stream is up. */
  ageMs: number;
  /** Message of the last failure while the stream is down. */
  error?: string;
}

export interface InstanceIndexOptions {
  client: ArgoCdClient;
  naming: TenantNaming;
  options: Pick<
    BackendOptions,
    | 'staleAfterMs'
    | 'resyncIntervalMs'
    | 'initialBackoffMs'
    | 'maxBackoffMs'
    | 'maxApplicationsPerInstance'
  >;
  logger: LoggerService;
  /** Called after the instance's applications or freshness changed. */
  onChange: (instance: string) => void;
  now?: () => number;
}

// Argo CD's control-plane namespace, for the rare object that comes without one.
const DEFAULT_APP_NAMESPACE = 'argocd';

function keyOf(appNamespace: string, name: string): string {
  return `${appNamespace}/${name}`;
}

class ResyncSignal extends Error {}

/**
 * The applications of one Argo CD instance, kept current by ONE watch stream: a full list on
 * start and after every reconnect (so deletions missed while down disappear), then live
 * events. Reconnects back off exponentially; a periodic resync restarts the cycle to repair
 * anything a stream may have missed. Requests read from memory and never wait on Argo CD
 * once the first listing is in.
 */
export class InstanceIndex {
  readonly instance: string;
  readonly #client: ArgoCdClient;
  readonly #naming: TenantNaming;
  readonly #options: InstanceIndexOptions['options'];
  readonly #logger: LoggerService;
  readonly #onChange: (instance: string) => void;
  readonly #now: () => number;

  #apps = new Map<string, IndexedApplication>();
  /** Secondary maps over `#apps`, updated with it on every change and swapped with it on resync. */
  #lookup = new ApplicationLookup();
  #loaded = false;
  #connected = false;
  #lastContactAt: number | undefined;
  #downSince: number | undefined;
  #lastError: string | undefined;
  #stopped = true;
  #abort: AbortController | undefined;
  #timers = new Set<ReturnType<typeof setTimeout>>();
  #readyWaiters: Array<() => void> = [];
  #truncationLogged = false;

  constructor(options: InstanceIndexOptions) {
    this.#client = options.client;
    this.instance = options.client.instance.name;
    this.#naming = options.naming;
    this.#options = options.options;
    this.#logger = options.logger.child({ instance: this.instance });
    this.#onChange = options.onChange;
    this.#now = options.now ?? Date.now;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    void this.#run();
  }

  stop(): void {
    this.#stopped = true;
    this.#abort?.abort();
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.#resolveReady();
  }

  /**
   * Waits for the first listing, at most `timeoutMs`; every concurrent caller shares the one
   * listing in flight instead of asking Argo CD itself. Resolves to whether data is loaded.
   */
  whenReady(timeoutMs: number): Promise<boolean> {
    // After a failed first attempt, answer at once: waiting on a down instance would make
    // every request as slow as the timeout.
    if (this.#loaded || this.#stopped || this.#lastError !== undefined) {
      return Promise.resolve(this.#loaded);
    }
    return new Promise(resolve => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve(this.#loaded);
      }, timeoutMs);
      this.#timers.add(timer);
      this.#readyWaiters.push(() => {
        clearTimeout(timer);
        this.#timers.delete(timer);
        resolve(this.#loaded);
      });
    });
  }

  /** A copy of every record; O(index size), so not for per-request paths. */
  list(): IndexedApplication[] {
    return [...this.#apps.values()];
  }

  get size(): number {
    return this.#apps.size;
  }

  get(appNamespace: string, name: string): IndexedApplication | undefined {
    return this.#apps.get(keyOf(appNamespace, name));
  }

  /** The apps of that name in any app namespace, by lookup. */
  findByName(name: string): IndexedApplication[] {
    return [...this.#lookup.byName(name)];
  }

  /**
   * A superset of the apps that can match `selector` (and `project`, when given), from the
   * most selective indexed `=` / `in` requirement or the project; every app when neither
   * narrows it down. Callers must still check each candidate. The result may be a live
   * view of the index: iterate it synchronously, without awaiting in between.
   */
  candidates(
    selector: readonly LabelSelectorRequirement[] | undefined,
    project?: string,
  ): Iterable<IndexedApplication> {
    return this.#lookup.candidates(selector, project) ?? this.#apps.values();
  }

  freshness(): InstanceFreshness {
    const now = this.#now();
    const ageMs =
      this.#connected || this.#lastContactAt === undefined
        ? 0
        : Math.max(0, now - this.#lastContactAt);
    const stale =
      !this.#loaded ||
      (!this.#connected &&
        this.#downSince !== undefined &&
        now - this.#downSince >= this.#options.staleAfterMs);
    return {
      loaded: this.#loaded,
      stale,
      ageMs,
      error: this.#connected ? undefined : this.#lastError,
    };
  }

  /** Records an Application just read or changed through the API, ahead of the stream. */
  upsert(app: Application): IndexedApplication | undefined {
    if (!app.metadata?.name) return undefined;
    const record = this.#toRecord(app);
    this.#put(keyOf(record.appNamespace, record.name), record);
    this.#onChange(this.instance);
    return record;
  }

  /** Sets a record in the primary map and the lookup, replacing any previous one. */
  #put(key: string, record: IndexedApplication): void {
    const previous = this.#apps.get(key);
    if (previous) this.#lookup.remove(previous);
    this.#apps.set(key, record);
    this.#lookup.add(record);
  }

  #toRecord(app: Application): IndexedApplication {
    const namespace = app.metadata.namespace || DEFAULT_APP_NAMESPACE;
    const previous = this.#apps.get(keyOf(namespace, app.metadata.name ?? ''));
    return toIndexedApplication(
      this.instance,
      app,
      this.#naming,
      DEFAULT_APP_NAMESPACE,
      previous,
      new Date(this.#now()),
    );
  }

  async #run(): Promise<void> {
    let backoff = this.#options.initialBackoffMs;
    while (!this.#stopped) {
      const abort = new AbortController();
      this.#abort = abort;
      const resync = setTimeout(
        () => abort.abort(new ResyncSignal()),
        this.#options.resyncIntervalMs,
      );
      try {
        const resourceVersion = await this.#listAll(abort.signal);
        backoff = this.#options.initialBackoffMs;
        this.#markConnected();
        for await (const event of this.#client.watchApplications({
          resourceVersion,
          signal: abort.signal,
        })) {
          this.#lastContactAt = this.#now();
          this.#apply(event.type, event.application);
        }
        if (!abort.signal.aborted)
          throw new Error('watch stream closed by the server');
      } catch (error) {
        if (this.#stopped) break;
        if (abort.signal.reason instanceof ResyncSignal) continue;
        this.#markDown(error);
        await this.#sleep(backoff);
        backoff = Math.min(backoff * 2, this.#options.maxBackoffMs);
      } finally {
        clearTimeout(resync);
      }
    }
  }

  async #listAll(signal: AbortSignal): Promise<string | undefined> {
    const list = await this.#client.listApplications({ signal });
    const items = list.items ?? [];
    const limit = this.#options.maxApplicationsPerInstance;
    if (items.length > limit && !this.#truncationLogged) {
      this.#truncationLogged = true;
      this.#logger.warn(
        `Instance has ${items.length} applications, indexing only the first ${limit} (gitops.backend.index.maxApplicationsPerInstance)`,
      );
    }
    const next = new Map<string, IndexedApplication>();
    for (const app of items.slice(0, limit)) {
      if (!app.metadata?.name) continue;
      const record = this.#toRecord(app);
      next.set(keyOf(record.appNamespace, record.name), record);
    }
    // Rebuilt from the surviving records, so apps gone from the listing leave every map.
    const lookup = new ApplicationLookup();
    for (const record of next.values()) lookup.add(record);
    this.#apps = next;
    this.#lookup = lookup;
    this.#loaded = true;
    this.#lastContactAt = this.#now();
    this.#resolveReady();
    this.#onChange(this.instance);
    return list.metadata?.resourceVersion;
  }

  #apply(type: string, app: Application): void {
    if (!app?.metadata?.name) return;
    const namespace = app.metadata.namespace || DEFAULT_APP_NAMESPACE;
    const key = keyOf(namespace, app.metadata.name);
    if (type === 'DELETED') {
      const previous = this.#apps.get(key);
      if (!previous) return;
      this.#apps.delete(key);
      this.#lookup.remove(previous);
      this.#onChange(this.instance);
      return;
    }
    if (
      !this.#apps.has(key) &&
      this.#apps.size >= this.#options.maxApplicationsPerInstance
    )
      return;
    this.#put(key, this.#toRecord(app));
    this.#onChange(this.instance);
  }

  #markConnected(): void {
    const wasDown = !this.#connected;
    this.#connected = true;
    this.#downSince = undefined;
    this.#lastError = undefined;
    if (wasDown) this.#onChange(this.instance);
  }

  #markDown(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (this.#connected || this.#lastError !== message) {
      // Only the message: errors of the client never carry credentials, full objects might.
      this.#logger.warn(`Argo CD watch failed, reconnecting: ${message}`);
    }
    this.#lastError = message;
    if (this.#connected || this.#downSince === undefined) {
      this.#connected = false;
      this.#downSince = this.#now();
      // Tell listeners when the data turns stale, not only when it changes.
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        this.#onChange(this.instance);
      }, this.#options.staleAfterMs);
      this.#timers.add(timer);
    }
    if (!this.#loaded) this.#resolveReady();
  }

  #resolveReady(): void {
    const waiters = this.#readyWaiters;
    this.#readyWaiters = [];
    for (const w of waiters) w();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise(resolve => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, ms);
      this.#timers.add(timer);
    });
  }
}
