import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type {
  ApplicationDetail,
  ApplicationHistoryEntry,
  ManagedResourcesResponseBody,
} from '@kupe/plugin-gitops-common';
import type { Application, RevisionHistory } from '@kupe/plugin-gitops-node';
import type { BackendOptions } from '../config/BackendOptions';
import { toApplicationSummary } from './toApplicationSummary';
import type { VisibleApplication } from './ApplicationAccess';
import { normalizeManifest } from './normalizeManifest';
import { SyncWindowReader } from './SyncWindowReader';

const COMMIT_SHA = /^[0-9a-f]{7,64}$/;
// Commit metadata of a SHA never changes; a year is "forever" for any cache backend.
const METADATA_TTL_MS = 365 * 24 * 3600 * 1000;

interface CommitInfo {
  author?: string;
  date?: string;
  message?: string;
}

/** Runs `fn` over `items` with at most `limit` calls in flight. */
async function mapLimited<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from(
    { length: Math.min(limit, items.length) },
    async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]);
      }
    },
  );
  await Promise.all(workers);
  return results;
}

/** Detail and managed resources of one visible application, fetched through its scope. */
export class ApplicationDetails {
  /** Sync windows of an app: part of its detail, and what a sync refused by one is told. */
  readonly syncWindows: SyncWindowReader;
  readonly #cache: CacheService;
  readonly #logger: LoggerService;
  readonly #options: Pick<
    BackendOptions,
    'historyLimit' | 'historyConcurrency'
  >;

  constructor(options: {
    cache: CacheService;
    logger: LoggerService;
    options: Pick<BackendOptions, 'historyLimit' | 'historyConcurrency'>;
    now?: () => Date;
  }) {
    this.syncWindows = new SyncWindowReader(options);
    this.#cache = options.cache;
    this.#logger = options.logger;
    this.#options = options.options;
  }

  async detail(
    visible: VisibleApplication,
    uiUrl: string | undefined,
  ): Promise<ApplicationDetail> {
    // Windows need no detail of the app: asked at the same time; their failure is theirs.
    const [app, syncWindows] = await Promise.all([
      visible.client.getApplication(visible.app.name, visible.scope),
      this.syncWindows.read(visible),
    ]);
    const record = visible.index.upsert(app) ?? visible.app;
    const status = app.status ?? {};
    const op = status.operationState;
    return {
      summary: toApplicationSummary(record, visible.index.freshness(), uiUrl),
      conditions: (status.conditions ?? []).map(c => ({
        type: c.type,
        message: c.message,
        lastTransitionTime: c.lastTransitionTime,
      })),
      operationState: op
        ? {
            phase: op.phase,
            message: op.message,
            startedAt: op.startedAt,
            finishedAt: op.finishedAt,
            initiatedBy: op.operation?.initiatedBy
              ? {
                  username: op.operation.initiatedBy.username,
                  automated: op.operation.initiatedBy.automated,
                }
              : undefined,
            revision: op.syncResult?.revision ?? op.operation?.sync?.revision,
          }
        : undefined,
      history: await this.#history(visible, app),
      syncWindows,
      resources: (status.resources ?? []).map(r => ({
        group: r.group || undefined,
        version: r.version,
        kind: r.kind ?? '',
        namespace: r.namespace || undefined,
        name: r.name ?? '',
        status: r.status,
        health: r.health?.status,
        requiresPruning: r.requiresPruning,
      })),
    };
  }

  async managedResources(
    visible: VisibleApplication,
  ): Promise<ManagedResourcesResponseBody> {
    const { items = [] } = await visible.client.getManagedResources(
      visible.app.name,
      visible.scope,
    );
    return {
      items: items.map(diff => {
        const modified = Boolean(diff.modified);
        return {
          group: diff.group || undefined,
          kind: diff.kind ?? '',
          namespace: diff.namespace || undefined,
          name: diff.name ?? '',
          modified,
          // Manifests only where there is something to diff: keeps the payload small.
          liveManifest: modified
            ? normalizeManifest(diff.normalizedLiveState ?? diff.liveState)
            : undefined,
          desiredManifest: modified
            ? normalizeManifest(diff.predictedLiveState ?? diff.targetState)
            : undefined,
        };
      }),
    };
  }

  async #history(
    visible: VisibleApplication,
    app: Application,
  ): Promise<ApplicationHistoryEntry[]> {
    const entries = (app.status?.history ?? [])
      .slice(-this.#options.historyLimit)
      .reverse();
    return mapLimited(
      entries,
      this.#options.historyConcurrency,
      async entry => {
        const base: ApplicationHistoryEntry = {
          id: entry.id,
          revision: entry.revision ?? entry.revisions?.[0],
          deployedAt: entry.deployedAt,
          deployStartedAt: entry.deployStartedAt,
          initiatedBy: entry.initiatedBy
            ? {
                username: entry.initiatedBy.username,
                automated: entry.initiatedBy.automated,
              }
            : undefined,
        };
        const source =
          entry.source ??
          entry.sources?.[0] ??
          app.spec.source ??
          app.spec.sources?.[0];
        if (source?.chart) {
          return {
            ...base,
            chartVersion: base.revision,
            ...(await this.#chartInfo(visible, entry)),
          };
        }
        return {
          ...base,
          ...(await this.#commitInfo(visible, entry, source?.repoURL ?? '')),
        };
      },
    );
  }

  async #commitInfo(
    visible: VisibleApplication,
    entry: RevisionHistory,
    repoURL: string,
  ): Promise<CommitInfo> {
    const revision = entry.revision ?? entry.revisions?.[0];
    if (!revision || !COMMIT_SHA.test(revision)) return {};
    // Keyed by instance, repo and SHA: one lookup per commit, ever, whichever app asks.
    const key = `revision-metadata:${visible.index.instance}:${repoURL}:${revision}`;
    const cached = (await this.#cache.get(key)) as CommitInfo | undefined;
    if (cached) return cached;
    try {
      const meta = await visible.client.getRevisionMetadata(
        visible.app.name,
        revision,
        visible.scope,
      );
      const info: CommitInfo = {
        author: meta.author,
        date: meta.date,
        message: meta.message,
      };
      await this.#cache.set(key, { ...info }, { ttl: METADATA_TTL_MS });
      return info;
    } catch (error) {
      // History stays useful without commit details; the revision itself is still shown.
      this.#logger.debug(
        `No metadata for revision ${revision}: ${(error as Error).message}`,
      );
      return {};
    }
  }

  async #chartInfo(
    visible: VisibleApplication,
    entry: RevisionHistory,
  ): Promise<CommitInfo> {
    const version = entry.revision;
    if (!version) return {};
    const key = `chart-details:${visible.index.instance}:${visible.app.appNamespace}/${visible.app.name}:${version}`;
    const cached = (await this.#cache.get(key)) as CommitInfo | undefined;
    if (cached) return cached;
    try {
      const details = await visible.client.getRevisionChartDetails(
        visible.app.name,
        version,
        visible.scope,
      );
      const info: CommitInfo = {
        author: details.maintainers?.join(', ') || undefined,
        message: details.description,
      };
      await this.#cache.set(key, { ...info }, { ttl: METADATA_TTL_MS });
      return info;
    } catch (error) {
      this.#logger.debug(
        `No chart details for version ${version}: ${(error as Error).message}`,
      );
      return {};
    }
  }
}
