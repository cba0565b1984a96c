import { createHash } from 'node:crypto';
import type { Application } from '@kupe/plugin-gitops-node';
import type { AppKey } from './controller';

/**
 * Argo CD's controller defaults: `--app-resync` 120 s plus up to `--app-resync-jitter` 60 s.
 *
 * @public
 */
export const DEFAULT_RECONCILE_INTERVAL_MS = 120_000;
/**
 * Argo CD's default `--app-resync-jitter`: up to 60 s added to each reconcile interval.
 *
 * @public
 */
export const DEFAULT_RECONCILE_JITTER_MS = 60_000;

/**
 * The interval and jitter of a `ReconcileClock`.
 *
 * @public
 */
export interface ReconcileClockOptions {
  intervalMs: number;
  /** Added per app (0 to this), fixed by its name, so reconciles spread over the period. */
  jitterMs?: number;
  /** How often to look for apps that are due; default a tenth of the interval, at most 1 s. */
  tickMs?: number;
}

/**
 * Where the clock reads and writes; the fake, seen from here.
 *
 * @public
 */
export interface ReconcileTarget {
  nowMs(): number;
  applications(): Iterable<Application>;
  /** Writes `status.reconciledAt` (a real change, so watchers get MODIFIED). */
  stampReconciled(key: AppKey): void;
}

function fraction(text: string): number {
  return createHash('sha1').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * The application controller's periodic refresh: every app is compared again once per resync
 * period and its status rewritten with a new `reconciledAt` (`controller/appcontroller.go`
 * `persistAppStatus`), whether or not anything else changed. On a large instance this is
 * the steady stream of MODIFIED events real watchers see. Each app keeps its own phase, so
 * the events spread over the period instead of arriving in one burst.
 *
 * @public
 */
export class ReconcileClock {
  readonly intervalMs: number;
  readonly jitterMs: number;
  readonly #tickMs: number;
  readonly #target: ReconcileTarget;
  /**
   * Per app: its period (fixed by its name, so hashed once, not on every tick), when it is
   * due next, and the tick that last saw it (apps not seen on a tick are gone).
   */
  readonly #schedule = new Map<
    string,
    { period: number; due: number; seenAt: number }
  >();
  #tick = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(target: ReconcileTarget, options: ReconcileClockOptions) {
    if (!(options.intervalMs > 0))
      throw new Error('reconcile intervalMs must be positive');
    this.#target = target;
    this.intervalMs = options.intervalMs;
    this.jitterMs = Math.max(0, options.jitterMs ?? 0);
    this.#tickMs =
      options.tickMs ?? Math.max(1, Math.min(1000, this.intervalMs / 10));
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.reconcileDue(), this.#tickMs);
    this.#timer.unref?.();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Reconciles every app whose time has come; returns how many. */
  reconcileDue(): number {
    const now = this.#target.nowMs();
    const tick = ++this.#tick;
    let count = 0;
    for (const app of this.#target.applications()) {
      const key: AppKey = {
        name: app.metadata.name ?? '',
        namespace: app.metadata.namespace ?? '',
      };
      const id = `${key.namespace}/${key.name}`;
      let entry = this.#schedule.get(id);
      if (entry === undefined) {
        const period =
          this.intervalMs +
          Math.floor(this.jitterMs * fraction(`jitter:${id}`));
        // First sight: somewhere within its first period, as after a controller restart.
        entry = {
          period,
          due: now + Math.floor(period * fraction(`phase:${id}`)),
          seenAt: tick,
        };
        this.#schedule.set(id, entry);
      }
      entry.seenAt = tick;
      if (now < entry.due) continue;
      this.#target.stampReconciled(key);
      count += 1;
      entry.due = now + entry.period;
    }
    for (const [id, entry] of this.#schedule)
      if (entry.seenAt !== tick) this.#schedule.delete(id);
    return count;
  }
}
