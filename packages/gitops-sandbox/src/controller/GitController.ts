import { createHash } from 'node:crypto';
import { canonicalJson, isAutoSync } from '@kupe/plugin-gitops-common';
import type {
  Application,
  ApplicationSource,
  ApplicationTree,
  ChartDetails,
  HealthStatusCode,
  ManagedResourcesResponse,
  ResourceNode,
  ResourceResult,
  ResourceStatus,
  RevisionMetadata,
} from '@kupe/plugin-gitops-node';
import {
  HelmChartCatalog,
  type AppKey,
  type ArgoCdFake,
  type ArgoCdFakeController,
} from '@kupe/plugin-gitops-node-test-utils';
import type { GitRepository } from '@kupe/plugin-gitops-node';
import {
  KubernetesObject,
  groupOf,
  imagesOf,
  objectKey,
  versionOf,
} from '../manifests/KubernetesObject';
import { RenderedSource, renderManifests } from '../manifests/renderManifests';
import { resourceHealth, worstHealth } from './resourceHealth';

export interface GitControllerOptions {
  /** Maps an Application's `repoURL` to a repository the sandbox serves; undefined otherwise. */
  resolveRepository: (repoURL: string) => GitRepository | undefined;
  /** How often every app is compared with Git and its live state. Default 1000 ms. */
  reconcileIntervalMs?: number;
  /** How long a sync operation stays Running. Default 1500 ms. */
  operationMs?: number;
  /** How long workloads stay Progressing after being applied. Default 1500 ms. */
  progressMs?: number;
}

interface LiveObject {
  object: KubernetesObject;
  appliedAt: number;
}

/** What the controller knows about one app beyond its status. */
interface AppRuntime {
  live: Map<string, LiveObject>;
  desired?: { sha: string; rendered: RenderedSource };
  operationTimer?: ReturnType<typeof setTimeout>;
}

const SHA = /^[0-9a-f]{7,40}$/i;

function appKeyOf(app: Application): AppKey {
  return {
    name: app.metadata.name ?? '',
    namespace: app.metadata.namespace ?? 'argocd',
  };
}

function idOf(key: AppKey): string {
  return `${key.namespace}/${key.name}`;
}

function shortHash(text: string, length: number): string {
  return createHash('sha1').update(text).digest('hex').slice(0, length);
}

function rfc3339(date: string | number | Date): string {
  return `${new Date(date).toISOString().slice(0, 19)}Z`;
}

/**
 * An application controller and repo-server over real Git: each tick it resolves every
 * app's `targetRevision` with `git rev-parse`, renders the manifests under `path` at that
 * commit, and compares them with the sandbox's own live state (an in-memory copy of what it
 * "applied"). A difference makes the app OutOfSync; auto-sync apps then sync (pruning and
 * self-healing as their policy says), manual ones wait for a sync request. History entries
 * and revision metadata carry the real commits.
 */
export class GitController implements ArgoCdFakeController {
  readonly #options: Required<Omit<GitControllerOptions, 'resolveRepository'>> &
    Pick<GitControllerOptions, 'resolveRepository'>;
  readonly #runtimes = new Map<string, AppRuntime>();
  readonly #renderCache = new Map<string, RenderedSource>();
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

  async #render(
    app: Application,
    sha: string,
    source: ApplicationSource,
  ): Promise<RenderedSource> {
    const repo = this.#options.resolveRepository(source.repoURL);
    if (!repo) throw new Error(`repository not found: ${source.repoURL}`);
    const cacheKey = `${repo.path}\0${sha}\0${source.path}\0${canonicalJson(
      source.helm ?? {},
    )}\0${app.spec.destination.namespace}`;
    let rendered = this.#renderCache.get(cacheKey);
    if (!rendered) {
      rendered = await renderManifests(repo, sha, source.path ?? '.', {
        namespace: app.spec.destination.namespace,
        helmValueFiles: source.helm?.valueFiles,
        releaseName: source.helm?.releaseName ?? app.metadata.name,
      });
      this.#renderCache.set(cacheKey, rendered);
    }
    // Callers mutate what they apply, so each gets its own copy.
    return structuredClone(rendered);
  }

  async resolveRevision(app: Application, revision: string): Promise<string> {
    const repo =
      app.spec.source &&
      this.#options.resolveRepository(app.spec.source.repoURL);
    return (repo && (await repo.resolve(revision))) ?? revision;
  }

  /** Compares one app with Git and its live state, updates its status, and auto-syncs. */
  async reconcile(key: AppKey): Promise<void> {
    const f = this.#f;
    const app = f.getApplication(key.name, key.namespace);
    if (!app || app.metadata.deletionTimestamp) return;
    const source = app.spec.source;
    const runtime = this.#runtime(key);
    let sha: string | undefined;
    let error: string | undefined;
    try {
      const repo = source && this.#options.resolveRepository(source.repoURL);
      if (!source || !repo)
        throw new Error(
          `repository not accessible: ${source?.repoURL ?? '(none)'}`,
        );
      sha = await repo.resolve(source.targetRevision || 'HEAD');
      if (!sha)
        throw new Error(
          `unable to resolve '${source.targetRevision}' to a commit SHA`,
        );
      runtime.desired = { sha, rendered: await this.#render(app, sha, source) };
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    if (error || !sha || !runtime.desired) {
      f.updateApplication(key, a => {
        const status = (a.status = a.status ?? {});
        const message = `Failed to load target state: ${error}`;
        if (status.conditions?.[0]?.message === message) return;
        status.conditions = [
          {
            type: 'ComparisonError',
            message,
            lastTransitionTime: f.timestamp(),
          },
        ];
        status.sync = { ...status.sync, status: 'Unknown' };
        status.reconciledAt = f.timestamp();
      });
      return;
    }
    const comparison = this.#compare(runtime);
    // Argo CD reports the images of the live resources: an OutOfSync app still runs the old ones.
    const images = [
      ...new Set([...runtime.live.values()].flatMap(l => imagesOf(l.object))),
    ].sort();
    const updated = f.updateApplication(key, a => {
      const status = (a.status = a.status ?? {});
      const previousHealth = status.health?.status;
      delete status.conditions;
      status.sync = {
        status: comparison.synced ? 'Synced' : 'OutOfSync',
        revision: sha,
        comparedTo: { source: a.spec.source, destination: a.spec.destination },
      };
      status.resources = comparison.resources;
      status.health =
        previousHealth === comparison.health
          ? status.health
          : { status: comparison.health, lastTransitionTime: f.timestamp() };
      status.summary = images.length ? { images } : {};
      status.sourceType = runtime.desired!.rendered.sourceType;
      status.controllerNamespace = 'argocd';
    });
    if (updated && updated !== app) {
      // Only a real change is worth a new reconciledAt (and a watch event).
      f.updateApplication(key, a => {
        a.status = { ...a.status, reconciledAt: f.timestamp() };
      });
    }
    const current = f.getApplication(key.name, key.namespace);
    if (current) this.#maybeAutoSync(current, comparison, sha);
  }

  #compare(runtime: AppRuntime): {
    synced: boolean;
    health: HealthStatusCode;
    resources: ResourceStatus[];
  } {
    const now = Date.now();
    const desired = new Map(
      runtime.desired!.rendered.objects.map(o => [objectKey(o), o]),
    );
    const keys = [
      ...new Set([...desired.keys(), ...runtime.live.keys()]),
    ].sort();
    const resources: ResourceStatus[] = keys.map(k => {
      const want = desired.get(k);
      const live = runtime.live.get(k);
      const object = (want ?? live!.object) as KubernetesObject;
      const health = live
        ? resourceHealth(
            live.object,
            live.appliedAt,
            now,
            this.#options.progressMs,
          )
        : 'Missing';
      const inSync = Boolean(
        want && live && canonicalJson(want) === canonicalJson(live.object),
      );
      return {
        group: groupOf(object),
        version: versionOf(object),
        kind: object.kind,
        namespace: object.metadata.namespace,
        name: object.metadata.name,
        status: inSync ? 'Synced' : 'OutOfSync',
        health: health ? { status: health } : undefined,
        requiresPruning: !want ? true : undefined,
      };
    });
    return {
      synced: resources.every(r => r.status === 'Synced'),
      health: worstHealth(resources.map(r => r.health?.status)),
      resources,
    };
  }

  /**
   * Argo CD's auto-sync rules: never while an operation runs; not again for a revision the
   * last automated sync already deployed, unless self-heal is on; not when only
   * unprunable extras differ; and not while a sync window blocks automated syncs (silently,
   * as Argo CD's controller does).
   */
  #maybeAutoSync(
    app: Application,
    comparison: { synced: boolean; resources: ResourceStatus[] },
    sha: string,
  ): void {
    if (comparison.synced || app.operation || !isAutoSync(app.spec.syncPolicy))
      return;
    const automated = app.spec.syncPolicy?.automated ?? {};
    const state = app.status?.operationState;
    if (state?.phase === 'Running' || state?.phase === 'Terminating') return;
    const outOfSync = comparison.resources.filter(
      r => r.status === 'OutOfSync',
    );
    if (!automated.prune && outOfSync.every(r => r.requiresPruning)) return;
    const alreadyTried =
      state?.operation.initiatedBy?.automated &&
      state.operation.sync?.revision === sha;
    if (alreadyTried && !automated.selfHeal) return;
    if (!this.#f.syncWindowsAllow(app, { manual: false })) return;
    const key = appKeyOf(app);
    this.#f.updateApplication(key, a => {
      a.operation = {
        sync: { revision: sha, prune: automated.prune || undefined },
        initiatedBy: { automated: true },
        retry: { limit: 5 },
      };
    });
    this.#f.recordEvent(key, {
      reason: 'OperationStarted',
      message: `Initiated automated sync to '${sha}'`,
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
        } initiated sync to ${started.operation.sync?.revision ?? 'HEAD'}`,
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
    const source = sync.source ?? app.spec.source;
    if (!source) throw new Error('application has no source');
    const sha = await this.resolveRevision(
      app,
      sync.revision || source.targetRevision || 'HEAD',
    );
    const rendered = await this.#render(app, sha, source);
    const runtime = this.#runtime(key);
    const now = Date.now();
    const selected = (o: KubernetesObject) =>
      !sync.resources?.length ||
      sync.resources.some(
        r =>
          r.kind === o.kind &&
          r.name === o.metadata.name &&
          (r.group ?? '') === groupOf(o),
      );
    const prune = Boolean(sync.prune || app.spec.syncPolicy?.automated?.prune);
    const results: ResourceResult[] = [];
    const desiredKeys = new Set(rendered.objects.map(objectKey));
    const result = (
      o: KubernetesObject,
      status: ResourceResult['status'],
      message: string,
    ): ResourceResult => ({
      group: groupOf(o),
      version: versionOf(o),
      kind: o.kind,
      namespace: o.metadata.namespace ?? '',
      name: o.metadata.name,
      status,
      message,
      hookPhase: 'Running',
      syncPhase: 'Sync',
    });
    for (const object of rendered.objects.filter(selected)) {
      const k = objectKey(object);
      const previous = runtime.live.get(k);
      const unchanged =
        previous && canonicalJson(previous.object) === canonicalJson(object);
      if (!sync.dryRun && !unchanged)
        runtime.live.set(k, { object, appliedAt: now });
      let outcome = 'created';
      if (unchanged) {
        outcome = 'unchanged';
      } else if (previous) {
        outcome = 'configured';
      }
      results.push(
        result(
          object,
          'Synced',
          `${object.kind.toLowerCase()}.${groupOf(object) || 'v1'}/${
            object.metadata.name
          } ${outcome}${sync.dryRun ? ' (dry run)' : ''}`,
        ),
      );
    }
    for (const [k, live] of [...runtime.live.entries()]) {
      if (desiredKeys.has(k) || !selected(live.object)) continue;
      if (prune && !sync.dryRun) runtime.live.delete(k);
      results.push(
        prune
          ? result(live.object, 'Pruned', 'pruned')
          : result(live.object, 'PruneSkipped', 'ignored (requires pruning)'),
      );
    }
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
        syncResult: { revision: sha, source, resources: results },
      };
      delete a.operation;
      if (sync.dryRun) return;
      const history = status.history ?? [];
      history.push({
        id: history.reduce((max, h) => Math.max(max, h.id), -1) + 1,
        revision: sha,
        deployStartedAt: op.startedAt,
        deployedAt: finishedAt,
        source,
        initiatedBy: op.operation.initiatedBy,
      });
      status.history = history.slice(-(a.spec.revisionHistoryLimit ?? 10));
    });
    f.recordEvent(key, {
      reason: 'OperationCompleted',
      message: `Sync operation to ${sha} succeeded`,
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
    if (hard) this.#renderCache.clear();
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
    revision: string,
    options: {
      initiatedBy?: { username?: string; automated?: boolean };
      deployedAt?: string;
    } = {},
  ): Promise<void> {
    const f = this.#f;
    const app = f.getApplication(key.name, key.namespace);
    if (!app?.spec.source) return;
    const sha = await this.resolveRevision(app, revision);
    const rendered = await this.#render(app, sha, app.spec.source);
    const runtime = this.#runtime(key);
    const appliedAt = options.deployedAt
      ? Date.parse(options.deployedAt)
      : Date.now();
    runtime.live = new Map(
      rendered.objects.map(o => [objectKey(o), { object: o, appliedAt }]),
    );
    const deployedAt = rfc3339(appliedAt);
    const startedAt = rfc3339(appliedAt - 2000);
    const initiatedBy = options.initiatedBy ?? { automated: true };
    f.updateApplication(key, a => {
      const status = (a.status = a.status ?? {});
      const history = status.history ?? [];
      history.push({
        id: history.reduce((max, h) => Math.max(max, h.id), -1) + 1,
        revision: sha,
        deployStartedAt: startedAt,
        deployedAt,
        source: a.spec.source,
        initiatedBy,
      });
      status.history = history.slice(-(a.spec.revisionHistoryLimit ?? 10));
      status.operationState = {
        operation: { sync: { revision: sha }, initiatedBy },
        phase: 'Succeeded',
        message: 'successfully synced (all tasks run)',
        startedAt,
        finishedAt: deployedAt,
        syncResult: { revision: sha, source: a.spec.source },
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
    const k =
      typeof key === 'string' ? { name: key, namespace: 'argocd' } : key;
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
    const k =
      typeof key === 'string' ? { name: key, namespace: 'argocd' } : key;
    return [...this.#runtime(k).live.values()].map(l =>
      structuredClone(l.object),
    );
  }

  resourceTree(app: Application): ApplicationTree {
    const runtime = this.#runtime(appKeyOf(app));
    const now = Date.now();
    const nodes: ResourceNode[] = [];
    for (const { object, appliedAt } of runtime.live.values()) {
      const health = resourceHealth(
        object,
        appliedAt,
        now,
        this.#options.progressMs,
      );
      const uid = shortUid(`${app.metadata.name}/${objectKey(object)}`);
      const createdAt = rfc3339(appliedAt);
      const ref = {
        group: groupOf(object) || undefined,
        version: versionOf(object),
        kind: object.kind,
        namespace: object.metadata.namespace,
        name: object.metadata.name,
        uid,
      };
      const images = imagesOf(object);
      nodes.push({
        ...ref,
        health: health ? { status: health } : undefined,
        createdAt,
        resourceVersion: String(appliedAt),
        images: images.length ? images : undefined,
      });
      if (object.kind === 'Deployment') {
        const rsName = `${object.metadata.name}-${shortHash(
          canonicalJson(object.spec),
          10,
        )}`;
        const rsRef = {
          group: 'apps',
          version: 'v1',
          kind: 'ReplicaSet',
          namespace: ref.namespace,
          name: rsName,
          uid: shortUid(`${uid}/${rsName}`),
        };
        nodes.push({
          ...rsRef,
          parentRefs: [ref],
          health: health ? { status: health } : undefined,
          createdAt,
          images,
          info: [{ name: 'Revision', value: 'Rev:1' }],
        });
        const replicas = Number(
          (object.spec as { replicas?: number } | undefined)?.replicas ?? 1,
        );
        for (let i = 0; i < Math.min(replicas, 5); i++) {
          const podName = `${rsName}-${shortHash(`${rsName}/${i}`, 5)}`;
          nodes.push({
            version: 'v1',
            kind: 'Pod',
            namespace: ref.namespace,
            name: podName,
            uid: shortUid(`${rsRef.uid}/${podName}`),
            parentRefs: [rsRef],
            health: health
              ? { status: health === 'Degraded' ? 'Degraded' : health }
              : undefined,
            createdAt,
            images,
            info: [
              {
                name: 'Status Reason',
                value: health === 'Degraded' ? 'ImagePullBackOff' : 'Running',
              },
            ],
          });
        }
      }
    }
    return { nodes };
  }

  managedResources(app: Application): ManagedResourcesResponse {
    const runtime = this.#runtime(appKeyOf(app));
    const desired = new Map(
      (runtime.desired?.rendered.objects ?? []).map(o => [objectKey(o), o]),
    );
    const keys = [
      ...new Set([...desired.keys(), ...runtime.live.keys()]),
    ].sort();
    return {
      items: keys.map(k => {
        const want = desired.get(k);
        const live = runtime.live.get(k)?.object;
        const object = (want ?? live)!;
        const target = want ? JSON.stringify(want) : 'null';
        const liveState = live ? JSON.stringify(live) : 'null';
        return {
          group: groupOf(object),
          kind: object.kind,
          namespace: object.metadata.namespace,
          name: object.metadata.name,
          targetState: target,
          liveState,
          normalizedLiveState: liveState,
          predictedLiveState: target,
          modified: !(
            want &&
            live &&
            canonicalJson(want) === canonicalJson(live)
          ),
        };
      }),
    };
  }

  /** Chart versions the sandbox's Helm repository publishes. */
  readonly charts = new HelmChartCatalog();

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
    if (!SHA.test(revision) || !app.spec.source) return undefined;
    const repo = this.#options.resolveRepository(app.spec.source.repoURL);
    const [commit] = repo
      ? await repo.log({ to: revision, maxCount: 1 }).catch(() => [])
      : [];
    if (!commit) return undefined;
    const tags = await repo!.tagsAt(commit.sha);
    return {
      author: `${commit.authorName} <${commit.authorEmail}>`,
      date: rfc3339(commit.date),
      message: commit.message,
      tags: tags.length ? tags : undefined,
    };
  }
}

function shortUid(text: string): string {
  const h = shortHash(text, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(
    16,
    20,
  )}-${h.slice(20, 32)}`;
}
