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

export interface PortalOptions {
  /** Entity pages open at once. */
  pages: number;
  /** Time compression: every interval of the run divided by it. */
  timeFactor: number;
  /** Simulated seconds the pages stay open (measured); the hour is scaled from it. */
  windowSimulatedS: number;
  /** Concurrent page opens (browsers opening pages at the same moment). */
  concurrency: number;
}

export interface PortalResult {
  view: ViewId;
  pages: number;
  timeFactor: number;
  windowSimulatedS: number;
  windowRealS: number;
  /** Upstream from backend start until every page was open (index load, first views). */
  startup: UpstreamCounts;
  /** Upstream while the pages stayed open (polls, watch traffic, relists). */
  window: UpstreamCounts;
  /** startup + window x (3,600 / windowSimulatedS): an hour of the open portal. */
  perHour: UpstreamCounts;
  openFailures: number;
  firstOpenFailure?: string;
  polls: number;
  pollFailures: number;
  /** Events the pages' streams carried (Kupe) during the window. */
  streamEvents: number;
  /** Backend RSS after the hour (after garbage collection). */
  memoryAfter: Memory;
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
 * of every interval: polls, reconciles, relists) is scaled to the hour, the start-up is
 * counted once.
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
  const backend = await start();
  // A socket per page: every page is a browser of its own.
  const client = new BackendClient(backend.port, options.pages);
  const pages: OpenPage[] = [];
  let openFailures = 0;
  let firstOpenFailure: string | undefined;
  try {
    let next = 0;
    await Promise.all(
      Array.from(
        { length: Math.min(options.concurrency, options.pages) },
        async () => {
          while (next < options.pages) {
            const component = components[next++ % components.length];
            try {
              // A page that has not opened in 60 s counts as a failed open.
              const page = await Promise.race([
                openPage(view, client, component, instances, 10_000 / k),
                new Promise<never>((_, reject) =>
                  setTimeout(
                    () => reject(new Error('page not open after 60 s')),
                    60_000,
                  ).unref(),
                ),
              ]);
              pages.push(page);
            } catch (error) {
              openFailures++;
              firstOpenFailure ??= String(error);
            }
          }
        },
      ),
    );
    const startup = addCounts(...(await doubles.takeCounts()));
    const eventsBefore = pages.reduce((n, p) => n + p.events(), 0);
    const t0 = performance.now();
    await new Promise(resolve =>
      setTimeout(resolve, (options.windowSimulatedS * 1000) / k),
    );
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
      window,
      perHour: addCounts(
        startup,
        scale(window, 3600 / options.windowSimulatedS),
      ),
      openFailures,
      firstOpenFailure,
      polls: pages.reduce((n, p) => n + p.polls, 0),
      pollFailures,
      streamEvents,
      memoryAfter,
    };
  } finally {
    await Promise.all(pages.map(p => p.close()));
    client.close();
    await backend.stop();
    await doubles.setTimeFactor(1);
  }
}
