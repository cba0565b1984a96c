import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ValidationIndex } from './ValidationIndex';
import {
  type IndexChange,
  yieldToEventLoop,
} from '../applicationIndex/InstanceIndex';
import { keyOf } from '../applicationIndex/instanceIndexTypes';
import type { IndexedApplication } from '../applicationIndex/IndexedApplication';
import { type ValidationOptions, bakeTimeOf } from './ValidationOptions';
import type { RolloutStore, StoredRollout } from './RolloutStore';
import type { ValidationNotifier } from './ValidationNotifier';
import type { DeploymentLog } from '../dora/DeploymentLog';
import { type AppRef, PerApp } from './PerApp';

// Beyond this many apps named since the last pass, one pass over all is cheaper.
const MAX_NAMED_CHANGES = 2_000;
// Apps looked at in one run of a pass over all.
const SCAN_SLICE = 1_000;

/** What this replica has seen of the rollout it follows for one app. */
interface Followed {
  key: string;
  /** The app (its strings, not its record: the record is replaced on every update). */
  app: AppRef;
  /** The operation's start as Argo CD writes it: what `#settled` keeps once decided. */
  operationStartedAt: string;
  startedAt: number;
  bakeTimeMs: number;
  revision?: string;
  finishedAt?: number;
  /** When this replica first saw the operation Succeeded. */
  succeededSeenAt?: number;
  /** Seen out of Degraded since the operation started, so a Degraded now is news. */
  seenNotDegraded?: boolean;
  syncedAt?: number;
  healthyAt?: number;
  /** Progress already written, so unchanged state costs no query. */
  written: string;
}

type Decision = {
  outcome: 'passed' | 'failed' | 'superseded';
  reason?: string;
};

/** `<instance>/<appNamespace>/<name>@<startedAt>`: the same on every replica. */
export function rolloutKeyOf(app: IndexedApplication): string | undefined {
  const startedAt = app.operation?.startedAt;
  return startedAt
    ? `${app.instance}/${app.appNamespace}/${app.name}@${startedAt}`
    : undefined;
}

function parseTime(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

function minutes(ms: number): string {
  return ms >= 60_000
    ? `${Math.round(ms / 60_000)}m`
    : `${Math.round(ms / 1000)}s`;
}

/**
 * Follows every rollout (Argo CD sync operation) the index sees, whoever started it
 * (portal, CLI or automated sync), and records time to Synced, time to Healthy and the
 * outcome: `failed` when the operation fails, the app turns Degraded before the bake time
 * after Synced and Healthy ends, or it is not Synced and Healthy within the timeout;
 * `passed` when it stays out of Degraded through the bake time. Each replica follows with
 * its own index; the store makes the records and the single failure notification
 * replica-safe. Time comes from `now`, so tests script it.
 */
export class RolloutFollower {
  readonly #index: ValidationIndex;
  readonly #store: RolloutStore;
  readonly #notifier: Pick<ValidationNotifier, 'rolloutFailed'>;
  readonly #deployments: Pick<DeploymentLog, 'record'> | undefined;
  readonly #options: ValidationOptions;
  readonly #logger: LoggerService;
  readonly #now: () => number;

  /** Change detection: index records are replaced, never mutated, on every update. */
  readonly #lastSeen = new PerApp<IndexedApplication>();
  readonly #active = new PerApp<Followed>();
  /**
   * The rollout decided per app (here or by another replica), by its operation's `startedAt`,
   * so it is not picked up again. An operation too old to follow is not kept: telling so again
   * costs two date parses, while keeping it would hold an entry for nearly every app.
   */
  readonly #settled = new PerApp<string>();
  #queue: Promise<void> = Promise.resolve();
  /**
   * What changed per instance since the last pass: the apps the index named (by key), or
   * `'all'` after a change that named none (a listing, freshness) or too many.
   */
  #pending = new Map<string, Map<string, AppRef> | 'all'>();
  #scanTimer: ReturnType<typeof setTimeout> | undefined;
  #tickTimer: ReturnType<typeof setInterval> | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(options: {
    index: ValidationIndex;
    store: RolloutStore;
    notifier: Pick<ValidationNotifier, 'rolloutFailed'>;
    /** Where deployments that succeeded are kept for the DORA figures. */
    deployments?: Pick<DeploymentLog, 'record'>;
    options: ValidationOptions;
    logger: LoggerService;
    now?: () => number;
  }) {
    this.#index = options.index;
    this.#store = options.store;
    this.#notifier = options.notifier;
    this.#deployments = options.deployments;
    this.#options = options.options;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
  }

  /** Follows index changes (coalesced) and re-evaluates on a timer for bake times and timeouts. */
  start(): void {
    if (this.#unsubscribe) return;
    this.#unsubscribe = this.#index.subscribe((instance, change) => {
      this.#note(instance, change);
      // One pass per burst of watch events, not one per event.
      this.#scanTimer ??= setTimeout(() => {
        this.#scanTimer = undefined;
        const pending = [...this.#pending];
        this.#pending.clear();
        for (const [name, apps] of pending)
          void (apps === 'all'
            ? this.scan(name)
            : this.#scanApps(name, apps.values()));
      }, 200);
    });
    this.#tickTimer = setInterval(() => void this.tick(), this.#options.tickMs);
    for (const instance of this.#index.instances()) void this.scan(instance);
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    if (this.#scanTimer) clearTimeout(this.#scanTimer);
    if (this.#tickTimer) clearInterval(this.#tickTimer);
  }

  /** Number of rollouts this replica is following now. */
  get following(): number {
    return this.#active.size;
  }

  #note(instance: string, change: IndexChange | undefined): void {
    const pending = this.#pending.get(instance);
    if (pending === 'all') return;
    if (
      !change ||
      (pending?.size ?? 0) + change.apps.length > MAX_NAMED_CHANGES
    ) {
      this.#pending.set(instance, 'all');
      return;
    }
    const named = pending ?? new Map<string, AppRef>();
    for (const app of change.apps)
      named.set(keyOf(app.appNamespace, app.name), app);
    this.#pending.set(instance, named);
  }

  /**
   * Looks at the apps the index named as changed: each one's current record, or its absence.
   * A pass costs what changed, not the index's size (a whole pass over 10,000 records took
   * 50 to 110 ms of one run while Argo CD re-sent every app after a start).
   */
  #scanApps(instance: string, apps: Iterable<AppRef>): Promise<void> {
    const index = this.#index.instance(instance);
    const changed: Array<[IndexedApplication, IndexedApplication | undefined]> =
      [];
    const gone: AppRef[] = [];
    for (const ref of apps) {
      const current = index.get(ref.appNamespace, ref.name);
      const previous = this.#lastSeen.get(ref);
      if (current) {
        if (previous !== current) {
          this.#lastSeen.set(current, current);
          // Listed but not re-sent yet: nothing to observe until the whole record comes
          // (named as changed then), which is observed against this one. After a start,
          // that is every app: a pass queues none of them.
          if (!current.historyPending) changed.push([current, previous]);
        }
      } else if (previous) {
        this.#lastSeen.delete(previous);
        gone.push(previous);
      }
    }
    return this.#observeAll(changed, gone);
  }

  /**
   * Looks at every app of an instance (and every app seen there before, for deletions), a
   * slice at a time with the event loop let go in between: a pass over 10,000 records in one
   * run held requests for 50 to 110 ms. Each slice reads the apps' current records and
   * queues its observations before the next slice, so changes named meanwhile are still
   * observed in the order they happened.
   */
  async scan(instance: string): Promise<void> {
    const index = this.#index.instance(instance);
    const refs: AppRef[] = [
      ...index.candidates(undefined),
      ...this.#lastSeen.valuesOf(instance),
    ];
    let observed: Promise<void> = Promise.resolve();
    for (let i = 0; i < refs.length; i += SCAN_SLICE) {
      if (i > 0) await yieldToEventLoop();
      observed = this.#scanApps(instance, refs.slice(i, i + SCAN_SLICE));
    }
    return observed;
  }

  #observeAll(
    changed: Array<[IndexedApplication, IndexedApplication | undefined]>,
    gone: AppRef[],
  ): Promise<void> {
    if (changed.length === 0 && gone.length === 0) return this.#queue;
    return this.#enqueue(async () => {
      for (const [app, previous] of changed) await this.#observe(app, previous);
      for (const app of gone) await this.#forget(app);
    });
  }

  /** Re-evaluates every followed rollout against the current time (bake time, timeouts). */
  tick(): Promise<void> {
    return this.#enqueue(async () => {
      for (const followed of [...this.#active.values()]) {
        const app = this.#lastSeen.get(followed.app);
        if (app) await this.#observe(app);
      }
    });
  }

  /** Resolves once everything queued so far is processed. */
  idle(): Promise<void> {
    return this.#enqueue(async () => {});
  }

  #enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(work).catch(error => {
      this.#logger.warn(
        `Rollout validation failed to record: ${(error as Error).message}`,
      );
    });
    this.#queue = next;
    return next;
  }

  async #forget(app: AppRef): Promise<void> {
    const followed = this.#active.get(app);
    this.#active.delete(app);
    this.#settled.delete(app);
    if (followed) {
      await this.#decide(followed, undefined, {
        outcome: 'superseded',
        reason: 'Deleted: the application was deleted before validation ended',
      });
    }
  }

  /** `previous` is the record seen before this one, if any. */
  async #observe(
    app: IndexedApplication,
    previous?: IndexedApplication,
  ): Promise<void> {
    // A dry run deploys nothing: neither a rollout to validate nor the end of one being
    // validated, which goes on with the next state after it.
    if (app.operation?.dryRun) return;
    // Listed but not re-sent by the watch yet: the operation's revision is not known. The
    // whole record follows within seconds and is observed then.
    if (app.historyPending) return;
    const now = this.#now();
    const key = rolloutKeyOf(app);
    let followed = this.#active.get(app);

    if (followed && followed.key !== key) {
      this.#active.delete(app);
      await this.#decide(followed, app, {
        outcome: 'superseded',
        reason: `Superseded: a newer operation started at ${
          app.operation?.startedAt ?? 'an unknown time'
        } before validation ended`,
      });
      followed = undefined;
    }
    if (!key) return;
    if (!followed) {
      if (this.#settled.get(app) === app.operation!.startedAt) return;
      followed = await this.#begin(app, key, now, previous);
      if (!followed) return;
    }
    const decision = this.#evaluate(followed, app, now);
    await this.#writeProgress(followed);
    if (decision) {
      this.#active.delete(app);
      await this.#decide(followed, app, decision);
    }
  }

  /** Starts following an operation, or returns undefined when there is nothing to follow. */
  async #begin(
    app: IndexedApplication,
    key: string,
    now: number,
    previous: IndexedApplication | undefined,
  ): Promise<Followed | undefined> {
    const operationStartedAt = app.operation!.startedAt!;
    const startedAt = parseTime(operationStartedAt);
    const finishedAt = parseTime(app.operation?.finishedAt);
    const bakeTimeMs = bakeTimeOf(this.#options, app.environment);
    // Operations that ended before the follow window (seen on start-up or after a long
    // outage) cannot be validated any more; they are not invented as rollouts.
    const window = this.#options.healthyTimeoutMs + bakeTimeMs;
    if (
      startedAt === undefined ||
      (finishedAt !== undefined && now - finishedAt > window)
    )
      return undefined;
    const stored = await this.#store.begin({
      key,
      instance: app.instance,
      appNamespace: app.appNamespace,
      name: app.name,
      tenant: app.tenant,
      environment: app.environment,
      revision: app.operationRevision,
      startedAt,
      bakeTimeMs,
    });
    if (stored.outcome !== 'in-progress') {
      // Decided by another replica (or before a restart); its notification is claimed there,
      // but a failure whose sender died before claiming is still sent once.
      this.#settled.set(app, operationStartedAt);
      if (stored.outcome === 'failed') await this.#notify(stored, app);
      return undefined;
    }
    const followed: Followed = {
      key,
      app: {
        instance: app.instance,
        appNamespace: app.appNamespace,
        name: app.name,
      },
      operationStartedAt,
      startedAt,
      bakeTimeMs: stored.bakeTimeMs,
      revision: stored.revision,
      finishedAt: parseTime(stored.operationFinishedAt),
      syncedAt: stored.syncedAtMs,
      healthyAt: stored.healthyAtMs,
      // Out of Degraded just before this operation: a Degraded after it is the rollout's.
      seenNotDegraded:
        previous !== undefined &&
        rolloutKeyOf(previous) !== key &&
        previous.healthStatus !== 'Degraded',
      written: '',
    };
    followed.written = JSON.stringify(this.#progressOf(followed));
    this.#active.set(app, followed);
    return followed;
  }

  #evaluate(
    f: Followed,
    app: IndexedApplication,
    now: number,
  ): Decision | undefined {
    const op = app.operation!;
    if (app.healthStatus !== 'Degraded') f.seenNotDegraded = true;
    if (app.operationRevision) f.revision = app.operationRevision;
    const timeout = this.#options.healthyTimeoutMs;
    switch (op.phase) {
      case 'Failed':
      case 'Error':
        f.finishedAt ??= parseTime(op.finishedAt) ?? now;
        return {
          outcome: 'failed',
          reason: `Sync ${op.phase}: ${
            op.message || 'no message from Argo CD'
          }`,
        };
      case 'Succeeded':
        break;
      default:
        // Running or Terminating: Argo CD's own retries are part of the operation.
        if (now - f.startedAt >= timeout) {
          return {
            outcome: 'failed',
            reason: `Timeout: the operation is still ${
              op.phase
            } after ${minutes(timeout)}`,
          };
        }
        return undefined;
    }

    const finishedAt = parseTime(op.finishedAt) ?? now;
    f.finishedAt ??= finishedAt;
    // State seen together with the operation's end happened at its end; later changes are
    // dated when this replica sees them (the watch delivers them within a second).
    const firstLook = f.succeededSeenAt === undefined;
    f.succeededSeenAt ??= now;
    const observedAt = firstLook ? Math.min(now, finishedAt) : now;
    if (app.syncStatus === 'Synced') f.syncedAt ??= observedAt;
    if (app.healthStatus === 'Healthy') f.healthyAt ??= observedAt;

    // Health right at the operation's end may still be that of before the sync (a sync
    // fixing a Degraded app): Degraded counts once the app has been seen out of it since the
    // operation started, or when it is still Degraded after the grace period.
    if (
      app.healthStatus === 'Degraded' &&
      (f.seenNotDegraded || now - f.finishedAt >= this.#options.degradedGraceMs)
    ) {
      return {
        outcome: 'failed',
        reason: `Degraded: ${
          app.healthMessage ||
          app.degradedResources?.join('; ') ||
          'a resource is Degraded'
        }`,
      };
    }
    if (f.syncedAt !== undefined && f.healthyAt !== undefined) {
      const bakeStart = Math.max(f.syncedAt, f.healthyAt);
      if (now - bakeStart >= f.bakeTimeMs) return { outcome: 'passed' };
      return undefined;
    }
    if (now - f.finishedAt >= timeout) {
      const waitingFor = [
        f.syncedAt === undefined &&
          `Synced (is ${app.syncStatus || 'Unknown'})`,
        f.healthyAt === undefined &&
          `Healthy (is ${app.healthStatus || 'Unknown'}${
            app.healthMessage ? `: ${app.healthMessage}` : ''
          })`,
      ]
        .filter(Boolean)
        .join(' and ');
      return {
        outcome: 'failed',
        reason: `Not Healthy: not ${waitingFor} within ${minutes(timeout)}`,
      };
    }
    return undefined;
  }

  #progressOf(f: Followed) {
    return {
      revision: f.revision,
      operationFinishedAt: f.finishedAt,
      syncedAt: f.syncedAt,
      healthyAt: f.healthyAt,
    };
  }

  async #writeProgress(f: Followed): Promise<void> {
    const progress = this.#progressOf(f);
    const text = JSON.stringify(progress);
    if (text === f.written) return;
    await this.#store.progress(f.key, progress);
    f.written = text;
  }

  async #decide(
    f: Followed,
    app: IndexedApplication | undefined,
    decision: Decision,
  ): Promise<void> {
    this.#settled.set(f.app, f.operationStartedAt);
    const stored = await this.#store.decide(
      f.key,
      decision.outcome,
      decision.reason,
      this.#now(),
    );
    // A sync that succeeded is a deployment, whatever its validation says; the decided row
    // (this replica's or another's) is what is kept.
    if (
      stored &&
      f.succeededSeenAt !== undefined &&
      stored.outcome !== 'in-progress'
    ) {
      await this.#deployments?.record(stored);
    }
    // Whichever replica decided, a failure is notified once: by the first to claim it.
    if (stored?.outcome === 'failed' && app) await this.#notify(stored, app);
  }

  async #notify(stored: StoredRollout, app: IndexedApplication): Promise<void> {
    if (stored.notifiedAtMs !== undefined) return;
    if (!(await this.#store.claimNotification(stored.key, this.#now()))) return;
    try {
      const sent = await this.#notifier.rolloutFailed(stored, app);
      if (!sent) {
        this.#logger.info(
          `Rollout ${stored.key} failed; no catalog entity of its tenant owns the application, nobody to notify`,
        );
      }
    } catch (error) {
      await this.#store.releaseNotification(stored.key);
      this.#logger.warn(
        `Could not notify the owners of ${
          stored.name
        } that its rollout failed: ${(error as Error).message}`,
      );
    }
  }
}
