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

/** How often (in ticks) the clock reads which apps exist. */
const SCAN_EVERY_TICKS = 10;

interface ScheduledApp {
  readonly key: AppKey;
  readonly period: number;
  due: number;
  seenAt: number;
  gone: boolean;
}

/** A binary min-heap of scheduled apps by `due`. */
class DueQueue {
  readonly #heap: ScheduledApp[] = [];

  peek(): ScheduledApp | undefined {
    return this.#heap[0];
  }

  push(entry: ScheduledApp): void {
    const heap = this.#heap;
    let i = heap.push(entry) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent].due <= entry.due) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = entry;
  }

  pop(): ScheduledApp | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || !last) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child =
        right < heap.length && heap[right].due < heap[left].due ? right : left;
      if (heap[child].due >= last.due) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = last;
    return top;
  }
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
   * Per app: its key, its period (fixed by its name, so hashed once), when it is due next,
   * and the membership scan that last saw it. An app that a scan no longer sees is marked
   * gone and dropped when it comes due.
   */
  readonly #schedule = new Map<string, ScheduledApp>();
  /** The scheduled apps, earliest due first: a tick reads only the ones due. */
  readonly #due = new DueQueue();
  #tick = 0;
  #scan = 0;
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

  /**
   * Reconciles every app whose time has come; returns how many. Which apps exist is read on
   * the first tick and every `SCAN_EVERY_TICKS` after it (an app added meanwhile is first
   * seen a few ticks late, within its first period all the same): walking 10,000 apps on
   * every tick cost a double a tenth of a core, which in Argo CD is the application
   * controller's, on another pod, not the API server's.
   */
  reconcileDue(): number {
    const now = this.#target.nowMs();
    if (this.#tick++ % SCAN_EVERY_TICKS === 0) this.#scanApplications(now);
    let count = 0;
    for (;;) {
      const entry = this.#due.peek();
      if (!entry || now < entry.due) break;
      this.#due.pop();
      if (entry.gone) continue;
      this.#target.stampReconciled(entry.key);
      count += 1;
      entry.due = now + entry.period;
      this.#due.push(entry);
    }
    return count;
  }

  #scanApplications(now: number): void {
    const scan = ++this.#scan;
    for (const app of this.#target.applications()) {
      const key: AppKey = {
        name: app.metadata.name ?? '',
        namespace: app.metadata.namespace ?? '',
      };
      const id = `${key.namespace}/${key.name}`;
      const known = this.#schedule.get(id);
      if (known) {
        known.seenAt = scan;
        continue;
      }
      const period =
        this.intervalMs + Math.floor(this.jitterMs * fraction(`jitter:${id}`));
      // First sight: somewhere within its first period, as after a controller restart.
      const entry: ScheduledApp = {
        key,
        period,
        due: now + Math.floor(period * fraction(`phase:${id}`)),
        seenAt: scan,
        gone: false,
      };
      this.#schedule.set(id, entry);
      this.#due.push(entry);
    }
    for (const [id, entry] of this.#schedule) {
      if (entry.seenAt === scan) continue;
      entry.gone = true;
      this.#schedule.delete(id);
    }
  }
}
