import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type {
  ApplicationDetail,
  ApplicationHistoryEntry,
  ManagedResourcesResponseBody,
} from '@kupe/plugin-gitops-common';
import {
  type Application,
  type RevisionHistory,
  requestedByOf,
} from '@kupe/plugin-gitops-node';
import type { BackendOptions } from '../config/BackendOptions';
import { toApplicationSummary } from './toApplicationSummary';
import type { VisibleApplication } from './ApplicationAccess';
import { normalizeManifest } from './normalizeManifest';
import { SyncWindowReader } from './SyncWindowReader';
import { SharedApplicationReads } from './SharedApplicationReads';
import type { OwnFilesAt } from '../gitOperations/GitOperations';
import { mapLimited } from './mapLimited';

/** Reads what revisions hold of an app's own files (one clone for all of them). */
export type OwnFilesReader = (
  visible: VisibleApplication,
  /** The app as just read from Argo CD: its sources say where its files are. */
  app: Application,
  revisions: string[],
) => Promise<Map<string, OwnFilesAt>>;

const FULL_SHA = /^[0-9a-f]{40}$/;

const COMMIT_SHA = /^[0-9a-f]{7,64}$/;
// A revision Argo CD could not describe (unknown commit, repository down) is not asked for
// again on every view; a minute later it may have become available.
const FAILED_LOOKUP_TTL_MS = 60_000;
// Commit metadata of a SHA never changes; a year is "forever" for any cache backend.
const METADATA_TTL_MS = 365 * 24 * 3600 * 1000;

interface CommitInfo {
  author?: string;
  date?: string;
  message?: string;
}

/**
 * Says for each deployment whether it changed the app's own files (against the deployment
 * before it), which commit last changed them, and whether they are what runs now.
 */
function withOwnFiles(
  history: ApplicationHistoryEntry[],
  facts: Map<string, OwnFilesAt>,
  deployedRevision: string | undefined,
): ApplicationHistoryEntry[] {
  const now = deployedRevision ? facts.get(deployedRevision) : undefined;
  return history.map((entry, i) => {
    const at = entry.revision ? facts.get(entry.revision) : undefined;
    if (!at) return entry;
    const before = history[i + 1]?.revision;
    const previous = before ? facts.get(before) : undefined;
    let ownChange: boolean | undefined;
    if (previous) ownChange = previous.key !== at.key;
    else if (!before) ownChange = at.lastChange?.sha === entry.revision;
    return {
      ...entry,
      ...(ownChange !== undefined ? { ownChange } : {}),
      ...(at.lastChange ? { ownCommit: at.lastChange } : {}),
      ...(now ? { runsNow: now.key === at.key } : {}),
    };
  });
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
  readonly #ownFiles: OwnFilesReader | undefined;
  readonly #reads: SharedApplicationReads;

  constructor(options: {
    cache: CacheService;
    logger: LoggerService;
    options: Pick<BackendOptions, 'historyLimit' | 'historyConcurrency'>;
    now?: () => Date;
    /** With it, history rows say whether they changed the app's own files. */
    ownFiles?: OwnFilesReader;
    /** Reads of the app shared with a page's other requests (default: none shared). */
    reads?: SharedApplicationReads;
  }) {
    this.syncWindows = new SyncWindowReader(options);
    this.#cache = options.cache;
    this.#logger = options.logger;
    this.#options = options.options;
    this.#ownFiles = options.ownFiles;
    this.#reads = options.reads ?? new SharedApplicationReads({ ttlMs: 0 });
  }

  async detail(
    visible: VisibleApplication,
    uiUrl: string | undefined,
  ): Promise<ApplicationDetail> {
    // Windows need no detail of the app: asked at the same time; their failure is theirs.
    const [{ application: app, record }, syncWindows] = await Promise.all([
      this.#reads.application(visible),
      this.syncWindows.read(visible),
    ]);
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
            requestedBy: requestedByOf(op.operation),
            revision: op.syncResult?.revision ?? op.operation?.sync?.revision,
          }
        : undefined,
      history: await this.#historyOf(visible, app, record.deployedRevision),
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

  /**
   * The app's deployments, newest first, with their commits and what they did to the app's
   * own files. The own files are read first: the clone they come from also tells each
   * revision's author, date and message, which Argo CD is then not asked for.
   */
  async #historyOf(
    visible: VisibleApplication,
    app: Application,
    deployedRevision: string | undefined,
  ): Promise<ApplicationHistoryEntry[]> {
    const entries = (app.status?.history ?? []).slice(
      -this.#options.historyLimit,
    );
    const source = app.spec?.source ?? app.spec?.sources?.[0];
    const fromGit =
      !!this.#ownFiles &&
      !!source?.repoURL &&
      !source.chart &&
      !entries.some(e => (e.source ?? e.sources?.[0])?.chart);
    const facts = fromGit
      ? await this.ownFilesAt(visible, app, [
          ...entries.map(e => e.revision ?? e.revisions?.[0]),
          deployedRevision,
        ])
      : new Map<string, OwnFilesAt>();
    const history = await this.#history(visible, app, entries, facts);
    return facts.size === 0
      ? history
      : withOwnFiles(history, facts, deployedRevision);
  }

  /** `entries`: the app's newest history entries, oldest first; answered newest first. */
  async #history(
    visible: VisibleApplication,
    app: Application,
    entries: NonNullable<NonNullable<Application['status']>['history']>,
    facts: Map<string, OwnFilesAt>,
  ): Promise<ApplicationHistoryEntry[]> {
    const op = app.status?.operationState;
    return mapLimited(
      [...entries].reverse(),
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
          // Argo CD's history keeps initiatedBy only; the operation that made the newest
          // entry still holds its info.
          requestedBy:
            op?.startedAt && op.startedAt === entry.deployStartedAt
              ? requestedByOf(op.operation)
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
        const commit = base.revision
          ? facts.get(base.revision)?.commit
          : undefined;
        return {
          ...base,
          ...(commit ??
            (await this.commitInfo(
              visible,
              base.revision,
              source?.repoURL ?? '',
            ))),
        };
      },
    );
  }

  /**
   * What each revision (full SHAs of the app's Git source; others are left out) holds of the
   * app's own files: equal keys for equal files, and the newest commit that changed them.
   * What a revision holds never changes: cached per revision and source, so the repository is
   * read only for revisions not seen before (revisions it did not have: for a minute). Empty
   * without a reader or when Git cannot be read. Shared by the history and the DORA figures.
   */
  async ownFilesAt(
    visible: VisibleApplication,
    app: Application,
    revisions: Array<string | undefined>,
  ): Promise<Map<string, OwnFilesAt>> {
    const facts = new Map<string, OwnFilesAt>();
    const wanted = [
      ...new Set(revisions.filter((r): r is string => !!r && FULL_SHA.test(r))),
    ];
    if (!this.#ownFiles || wanted.length === 0) return facts;
    const sources = (app.spec?.sources ?? [app.spec?.source]).map(s => [
      s?.repoURL ?? '',
      s?.path ?? '',
      s?.chart ?? '',
      s?.helm?.valueFiles ?? [],
    ]);
    const keyOf = (revision: string) =>
      `own-files:${visible.index.instance}:${JSON.stringify(
        sources,
      )}:${revision}`;
    const missing: string[] = [];
    for (const revision of wanted) {
      // `{}` (no key): not a commit of the branch when last read.
      const cached = (await this.#cache.get(keyOf(revision))) as
        | Partial<OwnFilesAt>
        | undefined;
      if (!cached) missing.push(revision);
      else if (cached.key) facts.set(revision, { ...cached, key: cached.key });
    }
    if (missing.length === 0) return facts;
    try {
      const read = await this.#ownFiles(visible, app, missing);
      for (const revision of missing) {
        const at = read.get(revision);
        if (at) facts.set(revision, at);
        // A revision the branch does not have (another branch, a rewritten history) is
        // not looked for on every view; a minute later it may have been fetched.
        await this.#cache.set(
          keyOf(revision),
          at ? JSON.parse(JSON.stringify(at)) : {},
          { ttl: at ? METADATA_TTL_MS : FAILED_LOOKUP_TTL_MS },
        );
      }
    } catch (error) {
      // Callers stay useful without it; they then make no claim about the files.
      this.#logger.debug(
        `No own files of ${visible.app.name}: ${(error as Error).message}`,
      );
    }
    return facts;
  }

  /**
   * Author, date and message of a commit the app deployed, from Argo CD's revision metadata;
   * empty for a chart version or when Argo CD cannot tell. Shared by the history and the DORA
   * figures.
   */
  async commitInfo(
    visible: VisibleApplication,
    revision: string | undefined,
    repoURL: string,
  ): Promise<CommitInfo> {
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
      // Remembered briefly, so every view of a history does not ask again.
      await this.#cache.set(key, {}, { ttl: FAILED_LOOKUP_TTL_MS });
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
      await this.#cache.set(key, {}, { ttl: FAILED_LOOKUP_TTL_MS });
      return {};
    }
  }
}
