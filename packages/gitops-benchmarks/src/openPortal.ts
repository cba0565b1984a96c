import { BackendClient, openPage, type OpenPage } from './entityViews';
import type {
  ArgoCdDoubles,
  ArgoInstance,
  Component,
  Memory,
  PluginBackend,
  UpstreamCounts,
  ViewId,
} from './types';
import { addCounts } from './types';
import {
  DEFAULT_RECONCILE_INTERVAL_MS,
  DEFAULT_RECONCILE_JITTER_MS,
} from '@kupe/plugin-gitops-node-test-utils';

export interface PortalOptions {
  /** Entity pages open at once. */
  pages: number;
  /** Time compression: every interval of the run divided by it. */
  timeFactor: number;
  /** Simulated seconds the pages stay open (measured); the hour is scaled from it. */
  windowSimulatedS: number;
  /** Concurrent page opens (browsers opening pages at the same moment). */
  concurrency: number;
  /** Upstream changes whose way to the open page is timed during the window (Kupe). */
  changes: number;
}

export interface PortalResult {
  view: ViewId;
  pages: number;
  timeFactor: number;
  windowSimulatedS: number;
  windowRealS: number;
  /**
   * Upstream from backend start until every page was open (index load, first views) and
   * every app had its first reconcile since (a new watch's re-send): counted once.
   */
  startup: UpstreamCounts;
  /** Simulated seconds the start-up lasted: the hour holds the window for the rest. */
  startupSimulatedS: number;
  /** Upstream while the pages stayed open (polls, watch traffic, relists). */
  window: UpstreamCounts;
  /** startup + window x ((3,600 - startupSimulatedS) / windowSimulatedS): an hour of the open portal. */
  perHour: UpstreamCounts;
  openFailures: number;
  firstOpenFailure?: string;
  polls: number;
  pollFailures: number;
  /** Events the pages' streams carried (Kupe) during the window. */
  streamEvents: number;
  /** Backend RSS after the hour (after garbage collection). */
  memoryAfter: Memory;
  /**
   * Pushed pages (Kupe): from a change applied on an Argo CD double to the open page showing
   * it, in real ms (nothing on that path runs on a compressed timer), during the window.
   */
  changeToPage?: ChangeToPage;
}

export interface ChangeToPage {
  /** Changes made; each was waited for. */
  changes: number;
  /** Changes the page had not shown 30 s later. */
  missed: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const CHANGE_WAIT_MS = 30_000;

/**
 * Opens `count` entity pages of `view` over `components`, `concurrency` at a time (browsers
 * opening pages at the same moment); a page that has not opened in `openTimeoutMs` (60 s)
 * counts as failed, and is closed if it opens later.
 */
export async function openPages(
  view: ViewId,
  client: BackendClient,
  components: Component[],
  instances: ArgoInstance[],
  count: number,
  concurrency: number,
  pollMs: number,
  openTimeoutMs = 60_000,
): Promise<{ pages: OpenPage[]; failures: number; firstFailure?: string }> {
  const pages: OpenPage[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const component = components[next++ % components.length];
        const opening = openPage(view, client, component, instances, pollMs);
        try {
          const page = await Promise.race([
            opening,
            new Promise<never>((_, reject) =>
              setTimeout(
                () =>
                  reject(
                    new Error(`page not open after ${openTimeoutMs / 1000} s`),
                  ),
                openTimeoutMs,
              ).unref(),
            ),
          ]);
          pages.push(page);
        } catch (error) {
          failures++;
          firstFailure ??= String(error);
          // The user gave up on it: a page that opens later is left at once (its polls would
          // run on, and keep the benchmark's process from ending).
          opening.then(
            page => page.close(),
            () => {},
          );
        }
      }
    }),
  );
  return { pages, failures, firstFailure };
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? 0
    : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];

/**
 * During the window, one change after another (each waited for, at most `changes`, until
 * the window ends): a random open page's app changes health on its Argo CD double, and the
 * time until that page's stream shows the new health is recorded.
 */
export async function measureChanges(
  pages: OpenPage[],
  doubles: ArgoCdDoubles,
  windowMs: number,
  changes: number,
): Promise<ChangeToPage | undefined> {
  const pushed = pages.filter(p => p.shows && p.applications);
  if (pushed.length === 0) return undefined;
  const latencies: number[] = [];
  let missed = 0;
  const end = performance.now() + windowMs;
  const gap = windowMs / changes;
  for (let i = 0; i < changes && performance.now() < end; i++) {
    const started = performance.now();
    const page = pushed[Math.floor(Math.random() * pushed.length)];
    const apps = page.applications!();
    const app = apps[Math.floor(Math.random() * apps.length)];
    if (!app) continue;
    const change = await doubles.changeApplication(app.instance, app.name);
    const shownAt = await page.shows!(
      app.instance,
      app.name,
      change.health,
      CHANGE_WAIT_MS,
    );
    if (shownAt === undefined) missed++;
    else latencies.push(Math.max(0, shownAt - change.at));
    const rest = gap - (performance.now() - started);
    if (rest > 0 && performance.now() + rest < end)
      await new Promise(resolve => setTimeout(resolve, rest));
  }
  const sorted = latencies.sort((a, b) => a - b);
  return {
    changes: latencies.length + missed,
    missed,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted[sorted.length - 1] ?? 0,
  };
}

const scale = (c: UpstreamCounts, f: number): UpstreamCounts => ({
  requests: c.requests * f,
  bytes: c.bytes * f,
  byKind: Object.fromEntries(
    Object.entries(c.byKind).map(([k, v]) => [
      k,
      { requests: v.requests * f, bytes: v.bytes * f },
    ]),
  ) as UpstreamCounts['byKind'],
});

/**
 * The cost of an open portal: `pages` entity pages of `view` opened against a backend that
 * was just started with its intervals divided by `timeFactor`, while the doubles reconcile
 * `timeFactor` times faster, then left open for `windowSimulatedS` simulated seconds. Every
 * upstream request and byte is counted at the doubles; the window (which holds whole periods
 * of every interval: polls, reconciles, relists) is scaled to the rest of the hour, the
 * start-up (until the pages are open and every app had its first reconcile) is counted once.
 */
export async function runOpenPortal(
  view: ViewId,
  start: () => Promise<PluginBackend>,
  doubles: ArgoCdDoubles,
  instances: ArgoInstance[],
  components: Component[],
  options: PortalOptions,
): Promise<PortalResult> {
  const k = options.timeFactor;
  await doubles.setTimeFactor(k);
  await doubles.takeCounts();
  const startedAt = performance.now();
  const backend = await start();
  // A socket per page: every page is a browser of its own.
  const client = new BackendClient(backend.port, options.pages);
  let pages: OpenPage[] = [];
  try {
    const opened = await openPages(
      view,
      client,
      components,
      instances,
      options.pages,
      options.concurrency,
      10_000 / k,
    );
    pages = opened.pages;
    // Argo CD's stream forwarder has sent nothing on a new watch, so each app's next reconcile
    // sends it whole once: a cost of the (re)start, counted once with it, not with the window
    // that is scaled to the hour. Every app has reconciled one period after the start.
    const firstReconcilesMs =
      (DEFAULT_RECONCILE_INTERVAL_MS + DEFAULT_RECONCILE_JITTER_MS) / k;
    const settle = startedAt + firstReconcilesMs - performance.now();
    // A timer may fire a fraction of a millisecond before `performance.now()` says it is due.
    if (settle > 0)
      await new Promise(resolve => setTimeout(resolve, Math.ceil(settle) + 1));
    const startup = addCounts(...(await doubles.takeCounts()));
    const startupSimulatedS = ((performance.now() - startedAt) * k) / 1000;
    const eventsBefore = pages.reduce((n, p) => n + p.events(), 0);
    const t0 = performance.now();
    const windowMs = (options.windowSimulatedS * 1000) / k;
    const [changeToPage] = await Promise.all([
      measureChanges(pages, doubles, windowMs, options.changes),
      new Promise(resolve => setTimeout(resolve, windowMs)),
    ]);
    const window = addCounts(...(await doubles.takeCounts()));
    const windowRealS = (performance.now() - t0) / 1000;
    const pollFailures = pages.reduce((n, p) => n + p.pollFailures, 0);
    const streamEvents =
      pages.reduce((n, p) => n + p.events(), 0) - eventsBefore;
    await Promise.all(pages.map(p => p.close()));
    const memoryAfter = await backend.memory();
    return {
      view,
      pages: options.pages,
      timeFactor: k,
      windowSimulatedS: options.windowSimulatedS,
      windowRealS: Math.round(windowRealS * 10) / 10,
      startup,
      startupSimulatedS,
      window,
      perHour: addCounts(
        startup,
        scale(
          window,
          Math.max(0, 3600 - startupSimulatedS) / options.windowSimulatedS,
        ),
      ),
      openFailures: opened.failures,
      firstOpenFailure: opened.firstFailure,
      polls: pages.reduce((n, p) => n + p.polls, 0),
      pollFailures,
      streamEvents,
      memoryAfter,
      changeToPage,
    };
  } finally {
    await Promise.all(pages.map(p => p.close()));
    client.close();
    await backend.stop();
    await doubles.setTimeFactor(1);
  }
}
