import { createHash } from 'node:crypto';
import { isAutoSync } from '@kupe/plugin-gitops-common';
import type {
  Application,
  ApplicationSource,
  ApplicationTree,
  ChartDetails,
  HealthStatus,
  ManagedResourcesResponse,
  ResourceNode,
  ResourceStatus,
  RevisionMetadata,
} from '@kupe/plugin-gitops-node';
import { planSync, resourceResult, syncedResourceResults } from './syncResult';
import type { ArgoCdFake } from './ArgoCdFake';
import type { AppKey, ArgoCdFakeController } from './controller';
import { ArgoCdApiError, GrpcCode } from './errors';
import { HelmChartCatalog } from './helmCharts';
import { sourcesOf, syncedState } from './multiSource';
import { LiveObjectStore } from './liveObjectStore';
import type { LiveManifest } from './rolloutActions';

const SHA = /^[0-9a-f]{40}$/i;

/**
 * Options of a `SimpleController`: how long each step of a sync takes.
 *
 * @public
 */
export interface SimpleControllerOptions {
  /** Delay between the steps of an operation (Running, Succeeded, Healthy). Default 10 ms. */
  stepMs?: number;
}

function hashOf(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function uidOf(text: string): string {
  const h = hashOf(text);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(
    16,
    20,
  )}-${h.slice(20, 32)}`;
}

function apiVersionOf(resource: ResourceStatus): string {
  return resource.group
    ? `${resource.group}/${resource.version ?? 'v1'}`
    : resource.version ?? 'v1';
}

function manifestOf(resource: ResourceStatus): Record<string, unknown> {
  return {
    apiVersion: apiVersionOf(resource),
    kind: resource.kind,
    metadata: { name: resource.name, namespace: resource.namespace },
  };
}

/**
 * A minimal stand-in for the application controller, for unit tests: operations go Running,
 * then Succeeded with a history entry, health goes Progressing then Healthy. Resources are
 * whatever `status.resources` lists; nothing is read from Git. Steps run on timers of
 * `stepMs`; `flush()` runs every pending step at once for deterministic tests.
 *
 * @public
 */
export class SimpleController implements ArgoCdFakeController {
  readonly stepMs: number;
  /** Commit metadata by full SHA, for `.../revisions/{sha}/metadata`. */
  readonly commits = new Map<string, RevisionMetadata>();
  /** Helm repositories the sources may name: versions for ranges, `Chart.yaml` details. */
  readonly charts = new HelmChartCatalog();
  readonly #live = new LiveObjectStore();
  #fake?: ArgoCdFake;
  readonly #pending = new Map<ReturnType<typeof setTimeout>, () => void>();

  constructor(options: SimpleControllerOptions = {}) {
    this.stepMs = options.stepMs ?? 10;
  }

  attach(fake: ArgoCdFake): void {
    this.#fake = fake;
  }

  get #f(): ArgoCdFake {
    if (!this.#fake)
      throw new Error('SimpleController is not attached to a fake');
    return this.#fake;
  }

  /** Runs every scheduled step now, including the steps those schedule. */
  flush(): void {
    while (this.#pending.size > 0) {
      const [timer, step] = this.#pending.entries().next().value!;
      clearTimeout(timer);
      this.#pending.delete(timer);
      step();
    }
  }

  stop(): void {
    for (const timer of this.#pending.keys()) clearTimeout(timer);
    this.#pending.clear();
  }

  #schedule(step: () => void): void {
    const timer = setTimeout(() => {
      this.#pending.delete(timer);
      step();
    }, this.stepMs);
    this.#pending.set(timer, step);
  }

  async resolveRevision(
    app: Application,
    revision: string,
    sourceIndex?: number,
  ): Promise<string> {
    return this.#resolve(app, revision, sourceIndex);
  }

  #resolve(app: Application, revision: string, sourceIndex?: number): string {
    const source = sourcesOf(app)[sourceIndex ?? 0];
    if (source?.chart) {
      try {
        return this.charts.resolve(source.repoURL, source.chart, revision);
      } catch (e) {
        throw new ArgoCdApiError(
          GrpcCode.FailedPrecondition,
          `error resolving repo revision: ${(e as Error).message}`,
        );
      }
    }
    if (SHA.test(revision)) return revision.toLowerCase();
    const current =
      sourceIndex === undefined
        ? app.status?.sync?.revision
        : app.status?.sync?.revisions?.[sourceIndex];
    if (current && SHA.test(current)) return current;
    return hashOf(
      sourceIndex === undefined
        ? `${app.metadata.name}:${revision}`
        : `${app.metadata.name}:${sourceIndex}:${revision}`,
    );
  }

  async chartDetails(
    source: ApplicationSource,
    version: string,
  ): Promise<ChartDetails | undefined> {
    return this.charts.chartDetails(source, version);
  }

  operationRequested(key: AppKey): void {
    this.#schedule(() => this.#startOperation(key));
  }

  #startOperation(key: AppKey): void {
    const f = this.#f;
    const app = f.updateApplication(key, a => {
      // Terminated before it started: the terminate step finishes it.
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
    if (!app?.operation || app.status?.operationState?.phase !== 'Running')
      return;
    f.recordEvent(key, {
      reason: 'OperationStarted',
      message: `Initiated automated sync to '${
        app.operation.sync?.revisions?.join(',') ??
        app.operation.sync?.revision ??
        ''
      }'`,
    });
    this.#schedule(() => this.#finishOperation(key));
  }

  #finishOperation(key: AppKey): void {
    const f = this.#f;
    const app = f.getApplication(key.name, key.namespace);
    const state = app?.status?.operationState;
    if (!app?.operation || state?.phase !== 'Running') return;
    const sync = app.operation.sync ?? {};
    const synced = syncedState(app, sync);
    const now = f.timestamp();
    const dryRun = Boolean(sync.dryRun);
    f.updateApplication(key, a => {
      const status = (a.status = a.status ?? {});
      const resources = status.resources ?? [];
      const plan = planSync(sync, resources);
      const dry = dryRun ? ' (dry run)' : '';
      status.operationState = {
        ...state,
        phase: 'Succeeded',
        message: 'successfully synced (all tasks run)',
        finishedAt: now,
        syncResult: {
          ...synced.result,
          resources: [
            ...syncedResourceResults(plan.apply, { dryRun }),
            ...plan.prune.map(r => resourceResult(r, 'Pruned', `pruned${dry}`)),
            ...plan.skipPrune.map(r =>
              resourceResult(r, 'PruneSkipped', 'ignored (requires pruning)'),
            ),
          ],
        },
      };
      delete a.operation;
      if (dryRun) return;
      const applied = new Set(plan.apply);
      const pruned = new Set(plan.prune);
      status.resources = resources
        .filter(r => !pruned.has(r))
        .map(r =>
          applied.has(r)
            ? {
                ...r,
                status: 'Synced',
                health: r.health ? { status: 'Progressing' } : undefined,
              }
            : r,
        );
      status.sync = {
        status: status.resources.every(r => r.status === 'Synced')
          ? 'Synced'
          : 'OutOfSync',
        ...synced.syncStatus,
        comparedTo: { ...synced.specSources, destination: a.spec.destination },
      };
      status.health = { status: 'Progressing', lastTransitionTime: now };
      // Argo CD keeps a selective sync (one naming resources) out of the history.
      if (sync.resources?.length) return;
      const history = status.history ?? [];
      const nextId = history.reduce((max, h) => Math.max(max, h.id), -1) + 1;
      history.push({
        id: nextId,
        ...synced.history,
        deployStartedAt: state.startedAt,
        deployedAt: now,
        initiatedBy: a.status?.operationState?.operation.initiatedBy,
      });
      status.history = history.slice(-(a.spec.revisionHistoryLimit ?? 10));
    });
    const revision = synced.display;
    f.recordEvent(key, {
      reason: 'OperationCompleted',
      message: `Sync operation to ${revision} succeeded`,
    });
    if (!dryRun) this.#schedule(() => this.#becomeHealthy(key));
  }

  #becomeHealthy(key: AppKey): void {
    const f = this.#f;
    f.updateApplication(key, a => {
      const status = (a.status = a.status ?? {});
      status.health = { status: 'Healthy', lastTransitionTime: f.timestamp() };
      status.resources = status.resources?.map(r => ({
        ...r,
        health: r.health ? { status: 'Healthy' } : undefined,
      }));
    });
  }

  terminateRequested(key: AppKey): void {
    this.#schedule(() => {
      const f = this.#f;
      f.updateApplication(key, a => {
        const state = a.status?.operationState;
        if (!state || state.phase !== 'Terminating') return;
        state.phase = 'Failed';
        state.message = 'Operation terminated';
        state.finishedAt = f.timestamp();
        delete a.operation;
      });
    });
  }

  async refresh(key: AppKey): Promise<void> {
    const f = this.#f;
    f.updateApplication(key, a => {
      a.status = { ...a.status, reconciledAt: f.timestamp() };
    });
  }

  applicationSpecChanged(key: AppKey): void {
    this.#schedule(() => {
      const f = this.#f;
      const app = f.updateApplication(key, a => {
        const status = (a.status = a.status ?? {});
        status.reconciledAt = f.timestamp();
        if (!status.sync?.status) {
          status.sync = {
            status: 'OutOfSync',
            comparedTo: {
              ...(a.spec.sources
                ? { sources: a.spec.sources }
                : { source: a.spec.source }),
              destination: a.spec.destination,
            },
          };
          status.health = { status: 'Missing' };
        }
      });
      if (
        app &&
        !app.operation &&
        isAutoSync(app.spec.syncPolicy) &&
        app.status?.sync?.status === 'OutOfSync' &&
        // Argo CD's controller skips an automated sync that a window blocks, silently.
        f.syncWindowsAllow(app, { manual: false })
      ) {
        const sync = this.#autoSyncTarget(app);
        if (!sync) return;
        f.updateApplication(key, a => {
          a.operation = { sync, initiatedBy: { automated: true } };
        });
        this.operationRequested(key);
      }
    });
  }

  /**
   * The revisions an automated sync targets; undefined when the repo-server cannot resolve
   * them (a chart range nothing matches), where Argo CD's controller reports a comparison
   * error and does not sync.
   */
  #autoSyncTarget(app: Application) {
    try {
      return app.spec.sources
        ? {
            revisions: app.spec.sources.map((s, i) =>
              this.#resolve(app, s.targetRevision || 'HEAD', i),
            ),
          }
        : {
            revision: this.#resolve(
              app,
              app.spec.source?.targetRevision || 'HEAD',
            ),
          };
    } catch (e) {
      if (e instanceof ArgoCdApiError) return undefined;
      throw e;
    }
  }

  applicationDeleted(key: AppKey): void {
    this.#schedule(() => this.#f.removeApplication(key));
  }

  /**
   * Puts a live object (e.g. a Rollout with its status) into the app's cluster: it joins the
   * resource tree with `health` and answers `GET .../resource` and resource actions.
   */
  putLiveObject(
    appName: string,
    object: LiveManifest,
    health?: HealthStatus,
  ): void {
    this.#live.put(appName, object, health, key => uidOf(`${appName}/${key}`));
  }

  liveObject(app: Application, node: ResourceNode): LiveManifest | undefined {
    const appName = app.metadata.name ?? '';
    const live = this.#live.get(appName, node);
    if (live) return live;
    const listed = (app.status?.resources ?? []).find(
      r => LiveObjectStore.keyOf(r) === LiveObjectStore.keyOf(node),
    );
    return listed && listed.health?.status !== 'Missing'
      ? (manifestOf(listed) as unknown as LiveManifest)
      : undefined;
  }

  patchLiveObject(
    app: Application,
    node: ResourceNode,
    patched: LiveManifest,
  ): void {
    this.#live.patch(app.metadata.name ?? '', node, patched);
  }

  resourceTree(app: Application): ApplicationTree {
    const appName = app.metadata.name ?? '';
    return {
      nodes: [
        ...(app.status?.resources ?? []).map(r => ({
          group: r.group || undefined,
          version: r.version ?? 'v1',
          kind: r.kind,
          namespace: r.namespace,
          name: r.name,
          uid: uidOf(
            `${appName}/${r.group}/${r.kind}/${r.namespace}/${r.name}`,
          ),
          resourceVersion: app.metadata.resourceVersion,
          health: r.health,
          createdAt: app.metadata.creationTimestamp,
        })),
        ...this.#live.nodes(appName),
      ],
    };
  }

  managedResources(app: Application): ManagedResourcesResponse {
    return {
      items: (app.status?.resources ?? []).map(r => {
        const manifest = JSON.stringify(manifestOf(r));
        const live = r.health?.status === 'Missing' ? 'null' : manifest;
        const target = r.requiresPruning ? 'null' : manifest;
        return {
          group: r.group ?? '',
          kind: r.kind,
          namespace: r.namespace,
          name: r.name,
          targetState: target,
          liveState: live,
          normalizedLiveState: live,
          predictedLiveState: target,
          modified: r.status === 'OutOfSync',
        };
      }),
    };
  }

  async revisionMetadata(
    app: Application,
    revision: string,
  ): Promise<RevisionMetadata | undefined> {
    const rev = revision.toLowerCase();
    for (const [sha, metadata] of this.commits) {
      if (sha.startsWith(rev)) return metadata;
    }
    const entry = app.status?.history?.find(h => h.revision?.startsWith(rev));
    if (!entry) return undefined;
    // A revision the app deployed but nobody described: plausible metadata from the history.
    return {
      author: 'Fake Committer <committer@example.com>',
      date: entry.deployStartedAt ?? entry.deployedAt,
      message: `Deploy ${entry.revision?.slice(0, 7)}`,
    };
  }
}
