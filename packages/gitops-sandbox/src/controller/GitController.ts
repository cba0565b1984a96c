import type {
  Application,
  ApplicationSource,
  ApplicationTree,
  ChartDetails,
  ManagedResourcesResponse,
  ResourceStatus,
  RevisionMetadata,
} from '@kupe/plugin-gitops-node';
import {
  HelmChartCatalog,
  type AppKey,
  type ArgoCdFake,
  type ArgoCdFakeController,
} from '@kupe/plugin-gitops-node-test-utils';
import {
  KubernetesObject,
  imagesOf,
  objectKey,
} from '../manifests/KubernetesObject';
import {
  compareWithLive,
  managedResourcesOf,
  resourceTreeOf,
  rfc3339,
} from './liveViews';
import { applySync } from './applySync';
import { SandboxRollouts } from '../rollouts/SandboxRollouts';
import { writeComparison, writeComparisonError } from './comparedStatus';
import { wantsAutoSync } from './autoSync';
import {
  type AppRuntime,
  type GitControllerOptions,
  appKeyFrom,
  appKeyOf,
  idOf,
} from './controllerTypes';
import { CachedRenderer, commitMetadata } from './CachedRenderer';
import {
  type DesiredRequest,
  SourceRenderer,
  isMultiSource,
  sourcesOf,
  syncedRevisions,
} from './desiredState';

export type { GitControllerOptions } from './controllerTypes';

const SHA = /^[0-9a-f]{7,40}$/i;

/**
 * An application controller and repo-server over real Git: each tick it resolves every
 * app's `targetRevision` with `git rev-parse`, renders the manifests under `path` at that
 * commit, and compares them with the sandbox's own live state (an in-memory copy of what it
 * "applied"). A difference makes the app OutOfSync; auto-sync apps then sync (pruning and
 * self-healing as their policy says), manual ones wait for a sync request. History entries
 * and revision metadata carry the real commits.
 */
export class GitController implements ArgoCdFakeController {
  readonly #options: Required<
    Omit<GitControllerOptions, 'resolveRepository' | 'helmRepository'>
  > &
    Pick<GitControllerOptions, 'resolveRepository'>;
  readonly #runtimes = new Map<string, AppRuntime>();
  readonly #renderer: CachedRenderer;
  readonly #sources: SourceRenderer;
  /** The clusters' Argo Rollouts controller (canary Rollouts' status and actions). */
  rollouts = new SandboxRollouts();
  #fake?: ArgoCdFake;
  #timer?: ReturnType<typeof setInterval>;
  #reconciling?: Promise<void>;
  #stopped = false;

  constructor(options: GitControllerOptions) {
    this.#options = {
      reconcileIntervalMs: 1000,
      operationMs: 1500,
      progressMs: 1500,
      ...options,
    };
    this.#renderer = new CachedRenderer(this.#options.resolveRepository);
    const helm = options.helmRepository ?? {
      catalog: new HelmChartCatalog(),
      chartFiles: () => undefined,
    };
    this.charts = helm.catalog;
    this.#sources = new SourceRenderer(
      this.#options.resolveRepository,
      this.#renderer,
      helm,
    );
  }

  attach(fake: ArgoCdFake): void {
    this.#fake = fake;
  }

  get #f(): ArgoCdFake {
    if (!this.#fake) throw new Error('GitController is not attached to a fake');
    return this.#fake;
  }

  /** Starts the periodic reconciliation. */
  start(): void {
    if (this.#timer) return;
    this.#stopped = false;
    this.#timer = setInterval(
      () => void this.reconcileAll(),
      this.#options.reconcileIntervalMs,
    );
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    for (const runtime of this.#runtimes.values()) {
      if (runtime.operationTimer) clearTimeout(runtime.operationTimer);
    }
  }

  #runtime(key: AppKey): AppRuntime {
    let runtime = this.#runtimes.get(idOf(key));
    if (!runtime) {
      runtime = { live: new Map() };
      this.#runtimes.set(idOf(key), runtime);
    }
    return runtime;
  }

  /** Reconciles every app once; concurrent calls share one pass. */
  reconcileAll(): Promise<void> {
    if (!this.#reconciling) {
      this.#reconciling = (async () => {
        for (const app of this.#f.listApplications()) {
          if (this.#stopped) break;
          await this.reconcile(appKeyOf(app));
        }
      })().finally(() => {
        this.#reconciling = undefined;
      });
    }
    return this.#reconciling;
  }

  async resolveRevision(
    app: Application,
    revision: string,
    sourceIndex?: number,
  ): Promise<string> {
    const source = sourcesOf(app)[sourceIndex ?? 0];
    return source ? this.#sources.resolve(source, revision) : revision;
  }

  /** Compares one app with Git and its live state, updates its status, and auto-syncs. */
  async reconcile(key: AppKey): Promise<void> {
    const f = this.#f;
    const app = f.getApplication(key.name, key.namespace);
    if (!app || app.metadata.deletionTimestamp) return;
    const runtime = this.#runtime(key);
    let error: string | undefined;
    try {
      runtime.desired = await this.#sources.desired(app);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const desired = runtime.desired;
    if (error || !desired) {
      f.updateApplication(key, a =>
        writeComparisonError(a, String(error), f.timestamp()),
      );
      return;
    }
    const comparison = {
      ...compareWithLive(
        desired.rendered.objects,
        runtime.live,
        Date.now(),
        this.#options.progressMs,
        this.rollouts.extensions(key),
      ),
      images: [
        ...new Set([...runtime.live.values()].flatMap(l => imagesOf(l.object))),
      ].sort(),
    };
    const updated = f.updateApplication(key, a =>
      writeComparison(a, desired, comparison, f.timestamp()),
    );
    if (updated && updated !== app) {
      // Only a real change is worth a new reconciledAt (and a watch event).
      f.updateApplication(key, a => {
        a.status = { ...a.status, reconciledAt: f.timestamp() };
      });
    }
    const current = f.getApplication(key.name, key.namespace);
    if (current) this.#maybeAutoSync(current, comparison, desired.revisions);
  }

  /** Starts an automated sync when Argo CD's rules ({@link wantsAutoSync}) and windows allow. */
  #maybeAutoSync(
    app: Application,
    comparison: { synced: boolean; resources: ResourceStatus[] },
    revisions: string[],
  ): void {
    if (!wantsAutoSync(app, comparison, revisions)) return;
    const { automated = {}, syncOptions } = app.spec.syncPolicy ?? {};
    if (!this.#f.syncWindowsAllow(app, { manual: false })) return;
    const key = appKeyOf(app);
    this.#f.updateApplication(key, a => {
      a.operation = {
        sync: {
          ...(isMultiSource(app) ? { revisions } : { revision: revisions[0] }),
          prune: automated.prune || undefined,
        },
        initiatedBy: { automated: true },
        retry: { limit: 5 },
      };
      if (syncOptions?.length) a.operation.sync!.syncOptions = syncOptions;
    });
    this.#f.recordEvent(key, {
      reason: 'OperationStarted',
      message: `Initiated automated sync to '${revisions.join(', ')}'`,
    });
    this.operationRequested(key);
  }

  operationRequested(key: AppKey): void {
    const f = this.#f;
    const started = f.updateApplication(key, a => {
      if (!a.operation || a.status?.operationState?.phase === 'Terminating')
        return;
      a.status = a.status ?? {};
      a.status.operationState = {
        operation: a.operation,
        phase: 'Running',
        message: 'one or more tasks are running',
        startedAt: f.timestamp(),
      };
    });
    if (!started?.operation) return;
    if (!started.operation.initiatedBy?.automated) {
      f.recordEvent(key, {
        reason: 'OperationStarted',
        message: `${
          started.operation.initiatedBy?.username ?? 'someone'
        } initiated sync to ${
          started.operation.sync?.revisions?.join(', ') ??
          started.operation.sync?.revision ??
          'HEAD'
        }`,
      });
    }
    const runtime = this.#runtime(key);
    if (runtime.operationTimer) clearTimeout(runtime.operationTimer);
    runtime.operationTimer = setTimeout(() => {
      runtime.operationTimer = undefined;
      void this.#finishOperation(key).catch(e =>
        this.#failOperation(key, String(e)),
      );
    }, this.#options.operationMs);
  }

  #failOperation(key: AppKey, message: string): void {
    const f = this.#f;
    f.updateApplication(key, a => {
      const state = a.status?.operationState;
      if (!state) return;
      state.phase = 'Error';
      state.message = message;
      state.finishedAt = f.timestamp();
      delete a.operation;
    });
    f.recordEvent(key, {
      reason: 'OperationCompleted',
      message: `Sync operation failed: ${message}`,
      type: 'Warning',
    });
  }

  async #finishOperation(key: AppKey): Promise<void> {
    const f = this.#f;
    const app = f.getApplication(key.name, key.namespace);
    const state = app?.status?.operationState;
    if (!app?.operation || state?.phase !== 'Running') return;
    const sync = app.operation.sync ?? {};
    const request: DesiredRequest = sync;
    const desired = await this.#sources.desired(app, request);
    const synced = syncedRevisions(app, desired, request);
    const runtime = this.#runtime(key);
    const now = Date.now();
    const results = applySync(runtime.live, desired.rendered.objects, {
      ...sync,
      prune: Boolean(sync.prune || app.spec.syncPolicy?.automated?.prune),
      now,
    });
    const finishedAt = f.timestamp();
    f.updateApplication(key, a => {
      const status = (a.status = a.status ?? {});
      const op = status.operationState;
      if (!op || op.phase !== 'Running') return;
      status.operationState = {
        ...op,
        phase: 'Succeeded',
        message: 'successfully synced (all tasks run)',
        finishedAt,
        syncResult: { ...synced.result, resources: results },
      };
      delete a.operation;
      // Argo CD keeps dry runs and selective syncs (naming resources) out of the history.
      if (sync.dryRun || sync.resources?.length) return;
      const history = status.history ?? [];
      history.push({
        id: history.reduce((max, h) => Math.max(max, h.id), -1) + 1,
        ...synced.history,
        deployStartedAt: op.startedAt,
        deployedAt: finishedAt,
        initiatedBy: op.operation.initiatedBy,
      });
      status.history = history.slice(-(a.spec.revisionHistoryLimit ?? 10));
    });
    f.recordEvent(key, {
      reason: 'OperationCompleted',
      message: `Sync operation to ${desired.revisions.join(', ')} succeeded`,
    });
    await this.reconcile(key);
    // Report Healthy (or Degraded) as soon as the rollout time has passed.
    const settle = setTimeout(
      () => void this.reconcile(key),
      this.#options.progressMs + 50,
    );
    settle.unref?.();
  }

  terminateRequested(key: AppKey): void {
    const runtime = this.#runtime(key);
    if (runtime.operationTimer) clearTimeout(runtime.operationTimer);
    runtime.operationTimer = undefined;
    const f = this.#f;
    f.updateApplication(key, a => {
      const state = a.status?.operationState;
      if (!state) return;
      state.phase = 'Failed';
      state.message = 'Operation terminated';
      state.finishedAt = f.timestamp();
      delete a.operation;
    });
  }

  async refresh(key: AppKey, hard: boolean): Promise<void> {
    if (hard) this.#renderer.clear();
    await this.reconcile(key);
  }

  applicationSpecChanged(key: AppKey): void {
    void this.reconcile(key);
  }

  applicationDeleted(key: AppKey, cascade: boolean): void {
    const runtime = this.#runtime(key);
    if (runtime.operationTimer) clearTimeout(runtime.operationTimer);
    // Cascade deletes the live objects with the app; otherwise they would be orphaned.
    if (cascade) runtime.live.clear();
    this.#runtimes.delete(idOf(key));
    this.#f.removeApplication(key);
  }

  /**
   * Deploys an app at a revision at once, without an operation (seeding: the state the
   * sandbox starts from). Adds a history entry like a finished sync.
   */
  async deploy(
    key: AppKey,
    revision: string | string[],
    options: {
      initiatedBy?: { username?: string; automated?: boolean };
      deployedAt?: string;
    } = {},
  ): Promise<void> {
    const f = this.#f;
    const app = f.getApplication(key.name, key.namespace);
    if (!app) return;
    const desired = await this.#sources.desired(
      app,
      typeof revision === 'string' ? { revision } : { revisions: revision },
    );
    const synced = syncedRevisions(app, desired);
    const runtime = this.#runtime(key);
    const appliedAt = options.deployedAt
      ? Date.parse(options.deployedAt)
      : Date.now();
    runtime.live = new Map(
      desired.rendered.objects.map(o => [
        objectKey(o),
        { object: o, appliedAt },
      ]),
    );
    const deployedAt = rfc3339(appliedAt);
    const startedAt = rfc3339(appliedAt - 2000);
    const initiatedBy = options.initiatedBy ?? { automated: true };
    f.updateApplication(key, a => {
      const status = (a.status = a.status ?? {});
      const history = status.history ?? [];
      history.push({
        id: history.reduce((max, h) => Math.max(max, h.id), -1) + 1,
        ...synced.history,
        deployStartedAt: startedAt,
        deployedAt,
        initiatedBy,
      });
      status.history = history.slice(-(a.spec.revisionHistoryLimit ?? 10));
      status.operationState = {
        operation: { sync: synced.operation, initiatedBy },
        phase: 'Succeeded',
        message: 'successfully synced (all tasks run)',
        startedAt,
        finishedAt: deployedAt,
        syncResult: synced.result,
      };
    });
    await this.reconcile(key);
  }

  /**
   * Changes a live object behind Argo CD's back (like `kubectl edit`), so the app drifts:
   * OutOfSync, and reverted by self-heal apps.
   */
  injectDrift(
    key: AppKey | string,
    target: { kind: string; name: string },
    mutate: (object: KubernetesObject) => void,
  ): void {
    const k = appKeyFrom(key);
    const runtime = this.#runtime(k);
    const entry = [...runtime.live.values()].find(
      l =>
        l.object.kind === target.kind && l.object.metadata.name === target.name,
    );
    if (!entry)
      throw new Error(`no live ${target.kind} ${target.name} in ${k.name}`);
    const changed = structuredClone(entry.object);
    mutate(changed);
    entry.object = changed;
  }

  /** The live objects of an app (what a cluster would hold). */
  liveObjects(key: AppKey | string): KubernetesObject[] {
    const k = appKeyFrom(key);
    return [...this.#runtime(k).live.values()].map(l =>
      structuredClone(l.object),
    );
  }

  resourceTree(app: Application): ApplicationTree {
    return resourceTreeOf(
      app.metadata.name ?? '',
      this.#runtime(appKeyOf(app)).live.values(),
      Date.now(),
      this.#options.progressMs,
      this.rollouts.extensions(appKeyOf(app)),
    );
  }

  liveObject: ArgoCdFakeController['liveObject'] = (app, node) =>
    this.rollouts.read(this, app, node);
  patchLiveObject: ArgoCdFakeController['patchLiveObject'] = (app, n, p) =>
    this.rollouts.patch(this, app, n, p);

  managedResources(app: Application): ManagedResourcesResponse {
    const runtime = this.#runtime(appKeyOf(app));
    return managedResourcesOf(
      runtime.desired?.rendered.objects ?? [],
      runtime.live,
    );
  }

  /** Chart versions the sandbox's Helm repository publishes. */
  readonly charts: HelmChartCatalog;

  async chartDetails(
    source: ApplicationSource,
    version: string,
  ): Promise<ChartDetails | undefined> {
    return this.charts.chartDetails(source, version);
  }

  async revisionMetadata(
    app: Application,
    revision: string,
  ): Promise<RevisionMetadata | undefined> {
    if (!SHA.test(revision)) return undefined;
    for (const source of sourcesOf(app).filter(s => !s.chart)) {
      const repo = this.#options.resolveRepository(source.repoURL);
      const metadata = repo && (await commitMetadata(repo, revision));
      if (metadata) return metadata;
    }
    return undefined;
  }
}
