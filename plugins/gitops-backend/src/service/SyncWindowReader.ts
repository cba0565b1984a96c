import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import type { JsonObject } from '@backstage/types';
import type {
  ApplicationSyncWindows,
  SyncWindowSummary,
} from '@kupe/plugin-gitops-common';
import {
  type ApplicationSyncWindow,
  type SyncWindow,
  matchSyncWindows,
  syncWindowTimes,
} from '@kupe/plugin-gitops-node';
import type { VisibleApplication } from './ApplicationAccess';

// Descriptions and time zones change rarely; whether the app may sync comes fresh every time.
const PROJECT_WINDOWS_TTL_MS = 30_000;

/** Argo CD reports only these four fields, so they identify a project window. */
const sameWindow = (a: SyncWindow, b: ApplicationSyncWindow) =>
  (a.kind ?? '') === b.kind &&
  (a.schedule ?? '') === b.schedule &&
  (a.duration ?? '') === b.duration &&
  (a.manualSync ?? false) === b.manualSync;

/** `deny window "Change freeze" (0 22 * * *, 8h)`, the way people name a window. */
export function describeWindow(window: SyncWindowSummary): string {
  const zone =
    window.timeZone && window.timeZone !== 'UTC' ? ` ${window.timeZone}` : '';
  const name = window.description
    ? ` ${JSON.stringify(window.description)}`
    : '';
  return `${window.kind} window${name} (${window.schedule}, ${window.duration}${zone})`;
}

/**
 * The sync windows of one visible application. Argo CD decides (`/syncwindows`, with the
 * tenant's scope): whether a manual sync may run now, which windows apply and which are open.
 * The tenant's AppProject adds what Argo CD leaves out of that answer (description, time
 * zone), and from it when each window next closes or opens.
 */
export class SyncWindowReader {
  readonly #cache: CacheService;
  readonly #logger: LoggerService;
  readonly #now: () => Date;

  constructor(options: {
    cache: CacheService;
    logger: LoggerService;
    now?: () => Date;
  }) {
    this.#cache = options.cache;
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
  }

  /** Never throws: when Argo CD cannot be asked, `canSync` is absent and `error` says why. */
  async read(visible: VisibleApplication): Promise<ApplicationSyncWindows> {
    let answer;
    let projectWindows: SyncWindow[] | undefined;
    try {
      [answer, projectWindows] = await Promise.all([
        visible.client.getApplicationSyncWindows(
          visible.app.name,
          visible.scope,
        ),
        this.#projectWindows(visible),
      ]);
    } catch (error) {
      const message = (error as Error).message;
      this.#logger.warn(
        `Sync windows of ${visible.index.instance}/${visible.app.name} unknown: ${message}`,
      );
      return { assigned: [], active: [], error: message };
    }

    const now = this.#now();
    const { app } = visible;
    const applying = projectWindows
      ? matchSyncWindows(projectWindows, {
          metadata: { name: app.name },
          spec: {
            project: app.project,
            destination: {
              name: app.destination.cluster,
              server: app.destination.server,
              namespace: app.destination.namespace,
            },
          },
        })
      : [];
    const taken = new Set<number>();
    const assigned = (answer.assignedWindows ?? []).map(window => {
      const index = applying.findIndex(
        (w, i) => !taken.has(i) && sameWindow(w, window),
      );
      if (index >= 0) taken.add(index);
      return { window, spec: applying[index] as SyncWindow | undefined };
    });
    // Argo CD's active list names windows by the same four fields: mark that many of them.
    const open = new Set<number>();
    for (const window of answer.activeWindows ?? []) {
      const index = assigned.findIndex(
        (a, i) => !open.has(i) && sameWindow(a.window, window),
      );
      if (index >= 0) open.add(index);
    }
    const summaries = assigned.map(({ window, spec }, i) =>
      this.#summary(window, spec, open.has(i), now),
    );
    return {
      canSync: answer.canSync === true,
      assigned: summaries,
      active: summaries.filter(s => s.active),
    };
  }

  /**
   * The error for Argo CD's refusal of a sync by a window (403, which is no permission
   * problem): a 409 naming the windows that block and until when; undefined for any other
   * error.
   */
  async blockedError(
    visible: VisibleApplication,
    error: unknown,
  ): Promise<ConflictError | undefined> {
    const message = (error as Error)?.message ?? '';
    const app = JSON.stringify(visible.app.name);
    if (/cannot sync: invalid sync window/.test(message)) {
      return new ConflictError(
        `Sync of ${app} is refused: the sync windows of project ${visible.scope.project} are invalid (${message})`,
      );
    }
    if (!/cannot sync: blocked by sync window/.test(message)) return undefined;
    const windows = await this.read(visible);
    const denies = windows.active.filter(
      w => w.kind === 'deny' && !w.manualSync,
    );
    const closedAllows = windows.assigned.filter(
      w => w.kind === 'allow' && !w.active,
    );
    const reasons: string[] = [];
    for (const w of denies) {
      reasons.push(
        `${describeWindow(w)} is open${
          w.activeUntil ? ` until ${w.activeUntil}` : ''
        }`,
      );
    }
    if (reasons.length === 0 && closedAllows.length > 0) {
      const next = closedAllows
        .map(w => w.nextStart)
        .filter((t): t is string => !!t)
        .sort()[0];
      reasons.push(
        `no allow window is open (${closedAllows
          .map(describeWindow)
          .join('; ')})${next ? `; the next opens at ${next}` : ''}`,
      );
    }
    return new ConflictError(
      reasons.length
        ? `Sync of ${app} is blocked by a sync window: ${reasons.join('; ')}`
        : `Sync of ${app} is blocked by a sync window of project ${visible.scope.project}`,
    );
  }

  #summary(
    window: ApplicationSyncWindow,
    spec: SyncWindow | undefined,
    active: boolean,
    now: Date,
  ): SyncWindowSummary {
    const summary: SyncWindowSummary = {
      kind: window.kind === 'allow' ? 'allow' : 'deny',
      schedule: window.schedule,
      duration: window.duration,
      manualSync: window.manualSync,
      active,
    };
    if (!spec) return summary;
    if (spec.description) summary.description = spec.description;
    if (spec.timeZone) summary.timeZone = spec.timeZone;
    try {
      const times = syncWindowTimes(spec, now);
      // Argo CD's word on open or closed stands; the times only when both agree.
      if (active && times.active && times.activeUntil) {
        summary.activeUntil = times.activeUntil;
      }
      if (!active && !times.active && times.nextStart) {
        summary.nextStart = times.nextStart;
      }
    } catch {
      // Argo CD validates windows when a project is saved; an odd one simply has no times.
    }
    return summary;
  }

  /** The project's windows, or undefined when the project cannot be read (then no extras). */
  async #projectWindows(
    visible: VisibleApplication,
  ): Promise<SyncWindow[] | undefined> {
    const project = visible.scope.project;
    if (!project) return undefined;
    const key = `project-sync-windows:${visible.index.instance}:${project}`;
    const cached = (await this.#cache.get(key)) as
      | { windows: SyncWindow[] }
      | undefined;
    if (cached) return cached.windows;
    try {
      const appProject = await visible.client.getProject(project, {
        tenant: visible.scope.tenant,
      });
      const windows = (appProject.spec.syncWindows ?? []).filter(Boolean);
      await this.#cache.set(
        key,
        JSON.parse(JSON.stringify({ windows })) as JsonObject,
        { ttl: PROJECT_WINDOWS_TTL_MS },
      );
      return windows;
    } catch (error) {
      this.#logger.debug(
        `No sync window details from project ${project}: ${
          (error as Error).message
        }`,
      );
      return undefined;
    }
  }
}
