import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { startArgoCdDoubles } from './argoCdDoubles';
import { BackendClient, startSession, viewEntity } from './entityViews';
import {
  type ChangeToPage,
  type PortalResult,
  measureChanges,
  openPages,
  runOpenPortal,
} from './openPortal';
import { type BackendOptions, startPluginBackend } from './pluginBackends';
import type {
  ArgoCdDoubles,
  ArgoInstance,
  BackendId,
  Component,
  DoublesOptions,
  Memory,
  PluginBackend,
  PluginId,
  UpstreamCounts,
  ViewId,
} from './types';
import { VIEWS_OF, addCounts } from './types';
import { spawnArgoCdDoubles, spawnPluginBackend } from './workers';

export interface ScenarioOptions extends DoublesOptions {
  plugins: PluginId[];
  /** Views measured at `concurrency` clients, the same entity sequence for every plugin. */
  views: number;
  /**
   * When the card's `views` at `concurrency` take less than this, the steady figures come from
   * a second run of at least this long, so that its p99 covers every periodic cost of the
   * backend (Kupe's liveness listing runs every 30 s), not the second or so 200 fast views
   * take. Memory is sampled between the two runs, after the same views on every plugin.
   */
  steadyMs?: number;
  /**
   * The timed steady run starts no sooner than this after the backend's start (every backend
   * alike; the floor's too): steady state, once what a backend does after a start is over
   * (Kupe: Argo CD's re-send of every app's history, about 8 s at the target size, and its
   * first liveness check, 30 s after its index loaded). The cold run measures views during it.
   */
  settleMs?: number;
  concurrency: number;
  /** Views measured at one client (0 skips). */
  sequentialViews: number;
  /** Views right after the backend started (measured as the cold run), the same for all. */
  warmupViews: number;
  /**
   * Views of Kupe's tab at `concurrency` and at one client (default a tenth of `views` and
   * `sequentialViews`): a tab view is tens of requests.
   */
  tabViews?: number;
  /** The open-portal hour; omitted, it is not run. */
  portal?: {
    pages: number;
    timeFactor: number;
    windowSimulatedS: number;
    /** Upstream changes timed to the open page during the window. */
    changes: number;
  };
  /**
   * Measure the floor first (`floorBackend.ts`): Kupe's card view against a route on the same
   * backend stack that only authenticates and answers, as the run's baseline.
   */
  floor?: boolean;
  /** Doubles and backends in child processes (the benchmark) or in this one (the test). */
  processes: 'children' | 'inline';
  log?: (line: string) => void;
}

export interface LoadRun {
  views: number;
  clients: number;
  ms: number;
  viewsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  failures: number;
  firstFailure?: string;
  upstream: UpstreamCounts;
  upstreamPerThousandViews: number;
  upstreamBytesPerView: number;
  backendCpuMsPerView: number;
}

export interface ViewResult {
  view: ViewId;
  /** The first view after the backend started (Kupe: waits for its index). */
  firstViewMs: number;
  firstViewError?: string;
  /** The warm-up views right after the first one, at `concurrency` clients: cold. */
  cold: LoadRun;
  sequential?: LoadRun;
  /** At `concurrency` clients after the warm-up: steady state. */
  concurrent: LoadRun;
  /** How long after the backend's start the steady run began (ms). */
  steadyStartedAfterMs?: number;
}

export interface PluginResult {
  plugin: PluginId;
  /** From spawning the backend until it listens. */
  startMs: number;
  /** Upstream from backend start until the first view answered (Kupe: the index load). */
  startup: UpstreamCounts;
  views: ViewResult[];
  memoryStarted: Memory;
  /**
   * After the card's views: the views every plugin has (the peers' cards do what Kupe's card
   * does), compared for the verdict.
   */
  memoryAfterCard: Memory;
  /**
   * After the steady card run (at least `steadyMs` at `concurrency` clients: the timed run,
   * started after the settle, or the counted run where that lasted as long): each plugin under
   * the same load for at least the same time, serving as many views as it can, so what its
   * heap and allocator grow to under load.
   */
  memoryAfterSteady?: Memory;
  /** Kupe: after its tab's views too (they read Git repositories), on the same backend. */
  memoryAfterTab?: Memory;
  /**
   * Pushed pages (Kupe's card): change upstream to the open page, with the backend at its
   * product intervals and the doubles reconciling at Argo CD's period, `portal.pages` pages
   * open as long in real time as the open-portal window. The open-portal hour measures it
   * too, under k-fold compressed periodic work.
   */
  changeToPage?: ChangeToPage;
  portal?: PortalResult;
}

export interface ScenarioResult {
  instances: number;
  applications: number;
  realistic: boolean;
  churn: boolean;
  components: number;
  latencyMs: number;
  results: PluginResult[];
  /**
   * The floor's runs of Kupe's card view (`options.floor`): the lowest latency any plugin's
   * view reaches on this machine and stack in this run.
   */
  floor?: ViewResult;
  /** RSS of each Argo CD double at the end (its own process each). */
  doublesMemory: Memory[];
  loadAverage: { before: number[]; after: number[] };
}

/** Deterministic pseudo-random numbers (mulberry32): every plugin views the same entities. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, i))];
}

const round = (n: number, digits = 2) =>
  Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Runs one scenario: starts the Argo CD doubles, then each plugin's backend in turn against
 * them (one backend at a time, so none competes with another for the CPU), and measures the
 * same sequence of entity views through each plugin's own frontend requests: a cold run
 * right after the start, one client, then `concurrency` clients in steady state. With
 * `portal`, each plugin then gets a fresh backend for the open-portal hour.
 */
export async function runScenario(
  options: ScenarioOptions,
): Promise<ScenarioResult> {
  const log = options.log ?? (() => {});
  const inline = options.processes === 'inline';
  const loadBefore = os.loadavg().map(n => round(n));
  const doubles: ArgoCdDoubles = inline
    ? await startArgoCdDoubles(options)
    : await spawnArgoCdDoubles(options);
  try {
    const { instances, components } = doubles;
    const rand = random(42);
    const sequence = Array.from(
      {
        length: Math.max(
          options.views,
          options.sequentialViews,
          options.warmupViews,
          1,
        ),
      },
      () => components[Math.floor(rand() * components.length)],
    );
    log(
      `${instances.length} instance(s) x ${options.applications} ${
        options.realistic === false ? 'small' : 'realistic'
      } applications (${components.length} components), ${
        options.latencyMs
      } ms latency on Argo CD, catalog and permissions, churn ${
        options.churn ? 'on' : 'off'
      }`,
    );
    const backendOptions = {
      instances,
      components,
      latencyMs: options.latencyMs,
    };
    const spawn = (
      id: BackendId,
      started: BackendOptions,
    ): Promise<PluginBackend> =>
      inline
        ? startPluginBackend(id, started)
        : spawnPluginBackend(id, started);
    const floor = options.floor
      ? await measureFloor(spawn, backendOptions, {
          doubles,
          instances,
          sequence,
          options,
          log,
        })
      : undefined;
    const results: PluginResult[] = [];
    for (const plugin of options.plugins) {
      await doubles.takeCounts();
      const t0 = performance.now();
      const backend = await spawn(plugin, backendOptions);
      const startedAt = performance.now();
      const startMs = round(performance.now() - t0, 0);
      const client = new BackendClient(backend.port, options.concurrency);
      const views: ViewResult[] = [];
      let startup: UpstreamCounts | undefined;
      let memoryAfterCard: Memory | undefined;
      let memoryAfterSteady: Memory | undefined;
      let memoryAfterTab: Memory | undefined;
      try {
        const memoryStarted = await backend.memory();
        for (const viewId of VIEWS_OF[plugin]) {
          const measured = await measureView(viewId, {
            backend,
            startedAt,
            client,
            doubles,
            instances,
            sequence,
            options,
            log,
          });
          startup ??= measured.startup;
          if (viewId === 'kupe-tab') memoryAfterTab = measured.memory;
          else {
            memoryAfterCard = measured.memory;
            memoryAfterSteady = measured.memoryAfterSteady;
          }
          views.push(measured.result);
        }
        log(
          `  ${plugin}: started in ${startMs} ms, RSS ${memoryStarted.rssMb} MB at start`,
        );
        const changeToPage =
          plugin === 'kupe' && options.portal && options.portal.changes > 0
            ? await changesAtProductSpeed(
                backend,
                doubles,
                instances,
                portalComponents(sequence, components, options.portal.pages),
                options.portal.pages,
                options.concurrency,
                options.portal.changes,
                (options.portal.windowSimulatedS * 1000) /
                  options.portal.timeFactor,
              )
            : undefined;
        if (changeToPage)
          log(
            `  ${plugin}: change to page at product speed (${
              options.portal!.pages
            } pages): p50 ${round(changeToPage.p50Ms, 0)} ms, p99 ${round(
              changeToPage.p99Ms,
              0,
            )} ms (${changeToPage.missed} of ${changeToPage.changes} missed)`,
          );
        results.push({
          plugin,
          startMs,
          startup: startup!,
          views,
          memoryStarted,
          memoryAfterCard: memoryAfterCard!,
          memoryAfterSteady,
          memoryAfterTab,
          changeToPage,
        });
      } finally {
        client.close();
        await backend.stop();
      }
      if (options.portal) {
        const portalOptions = {
          ...backendOptions,
          timeFactor: options.portal.timeFactor,
        };
        const portal = await runOpenPortal(
          VIEWS_OF[plugin][0],
          () => spawn(plugin, portalOptions),
          doubles,
          instances,
          portalComponents(sequence, components, options.portal.pages),
          { ...options.portal, concurrency: options.concurrency },
        );
        results[results.length - 1].portal = portal;
        log(
          `  ${plugin} open portal (${portal.pages} pages, k=${
            portal.timeFactor
          }, ${portal.windowSimulatedS} s simulated in ${
            portal.windowRealS
          } s): ${round(portal.perHour.requests, 0)} upstream req/h, ${round(
            portal.perHour.bytes / 1024 ** 2,
            1,
          )} MiB/h, ${portal.openFailures} failed opens, ${
            portal.polls
          } polls, RSS ${portal.memoryAfter.rssMb} MB${
            portal.changeToPage
              ? `, change to page p99 ${round(
                  portal.changeToPage.p99Ms,
                  0,
                )} ms (${portal.changeToPage.missed} of ${
                  portal.changeToPage.changes
                } missed)`
              : ''
          }`,
        );
      }
    }
    const doublesMemory = await doubles.memory();
    return {
      instances: options.instances,
      applications: options.applications,
      realistic: options.realistic !== false,
      churn: options.churn === true,
      components: components.length,
      latencyMs: options.latencyMs,
      results,
      floor,
      doublesMemory,
      loadAverage: {
        before: loadBefore,
        after: os.loadavg().map(n => round(n)),
      },
    };
  } finally {
    await doubles.stop();
  }
}

/** The floor's backend and its runs of Kupe's card view, before any plugin's. */
async function measureFloor(
  spawn: (id: BackendId, options: BackendOptions) => Promise<PluginBackend>,
  backendOptions: BackendOptions,
  at: Omit<
    Parameters<typeof measureView>[1],
    'backend' | 'startedAt' | 'client'
  >,
): Promise<ViewResult> {
  await at.doubles.takeCounts();
  const backend = await spawn('floor', backendOptions);
  const startedAt = performance.now();
  const client = new BackendClient(backend.port, at.options.concurrency);
  try {
    const { result } = await measureView('kupe-card', {
      ...at,
      backend,
      startedAt,
      client,
      label: 'floor',
    });
    return result;
  } finally {
    client.close();
    await backend.stop();
  }
}

/**
 * One view's runs on a started backend: the first view, the cold run right after it, one
 * client, the counted steady run (memory sampled after it), and the timed steady run when
 * `steadyMs` asks for one.
 */
async function measureView(
  viewId: ViewId,
  at: {
    backend: PluginBackend;
    /** `performance.now()` once the backend listened. */
    startedAt: number;
    client: BackendClient;
    doubles: ArgoCdDoubles;
    instances: ArgoInstance[];
    sequence: Component[];
    options: ScenarioOptions;
    log: (line: string) => void;
    /** What the log line calls the view (default its id). */
    label?: string;
  },
): Promise<{
  result: ViewResult;
  startup: UpstreamCounts;
  memory: Memory;
  /** After the steady run: the timed one, or the counted one where that lasted as long. */
  memoryAfterSteady?: Memory;
}> {
  const { backend, client, doubles, instances, sequence, options } = at;
  const view = async (component: Component) => {
    const apps = await viewEntity(viewId, client, component, instances);
    const expected = component.appsPerInstance * instances.length;
    if (apps !== expected) {
      throw new Error(
        `${viewId} showed ${apps} applications of ${component.name}, expected ${expected}`,
      );
    }
  };
  const measure = async (
    count: number,
    clients: number,
    minMs = 0,
  ): Promise<LoadRun> => {
    const cpuBefore = await backend.cpuMs();
    const run = await load(sequence, count, clients, view, minMs);
    const cpuAfter = await backend.cpuMs();
    const upstream = addCounts(...(await doubles.takeCounts()));
    return {
      ...run,
      upstream,
      upstreamPerThousandViews: round((upstream.requests / run.views) * 1000),
      upstreamBytesPerView: round(upstream.bytes / run.views, 0),
      backendCpuMsPerView: round((cpuAfter - cpuBefore) / run.views, 3),
    };
  };
  const t1 = performance.now();
  let firstViewError: string | undefined;
  try {
    await startSession(viewId, client, sequence[0], instances);
    await view(sequence[0]);
  } catch (error) {
    // Recorded, not fatal: the runs below count the failures and the report shows them.
    firstViewError = String(error);
  }
  const firstViewMs = round(performance.now() - t1, 0);
  const startup = addCounts(...(await doubles.takeCounts()));
  const tab = viewId === 'kupe-tab';
  const tabViews =
    options.tabViews ?? Math.max(1, Math.round(options.views / 10));
  // The tab's own cold run is no longer than its steady one: a tab view is tens of
  // requests with Git reads (the card's warm-up stays equal for every plugin).
  const cold = await measure(
    tab ? Math.min(options.warmupViews, tabViews) : options.warmupViews,
    options.concurrency,
  );
  const sequentialViews = tab
    ? Math.min(options.sequentialViews, tabViews)
    : options.sequentialViews;
  const sequential =
    sequentialViews > 0 ? await measure(sequentialViews, 1) : undefined;
  const counted = await measure(
    tab ? tabViews : options.views,
    options.concurrency,
  );
  // Sampled after the same views on every plugin: a backend that serves more views
  // in the timed run below would pay for it in allocator churn, not in what it holds.
  const memory = await backend.memory();
  // The steady figures come from a run of at least `steadyMs`, so that every periodic
  // cost of the backend falls in it (200 fast views take about a second), started once the
  // backend's start-up work is over (`settleMs`).
  let concurrent = counted;
  let steadyStartedAfterMs: number | undefined;
  let memoryAfterSteady: Memory | undefined;
  if (!tab && options.steadyMs && counted.ms < options.steadyMs) {
    const settledAt = at.startedAt + (options.settleMs ?? 0);
    // A timer may fire a fraction of a millisecond early.
    while (performance.now() < settledAt)
      await sleep(Math.ceil(settledAt - performance.now()));
    steadyStartedAfterMs = round(performance.now() - at.startedAt, 0);
    concurrent = await measure(
      options.views,
      options.concurrency,
      options.steadyMs,
    );
    memoryAfterSteady = await backend.memory();
  } else if (!tab && options.steadyMs) {
    // The counted run lasted the steady run's time (a slow plugin's views): it is the steady
    // run, and the memory after it is after the steady run.
    memoryAfterSteady = memory;
  }
  at.log(
    `  ${at.label ?? viewId}: ${
      concurrent.upstreamPerThousandViews
    } upstream req/1000 views, ${
      concurrent.upstreamBytesPerView
    } upstream B/view, cold p99 ${cold.p99} ms, steady p50 ${
      concurrent.p50
    } ms, p99 ${concurrent.p99} ms, ${concurrent.failures} failures; then RSS ${
      memory.rssMb
    } MB, heap ${memory.heapUsedMb} MB used of ${
      memory.heapTotalMb
    } MB committed, external ${memory.externalMb} MB${
      memoryAfterSteady
        ? `; RSS ${memoryAfterSteady.rssMb} MB after the steady run`
        : ''
    }`,
  );
  return {
    result: {
      view: viewId,
      firstViewMs,
      firstViewError,
      cold,
      sequential,
      concurrent,
      steadyStartedAfterMs,
    },
    startup,
    memory,
    memoryAfterSteady,
  };
}

/** Distinct entities from the same pseudo-random sequence for every plugin. */
function portalComponents(
  sequence: Component[],
  components: Component[],
  pages: number,
): Component[] {
  const distinct = [...new Set(sequence)];
  return distinct.length >= pages ? distinct : components;
}

/**
 * Opens `pages` card pages on the running backend (product intervals, doubles at Argo CD's
 * reconcile period) and times `changes` upstream changes to them over `windowMs`.
 */
async function changesAtProductSpeed(
  backend: PluginBackend,
  doubles: ArgoCdDoubles,
  instances: ArgoInstance[],
  components: Component[],
  pages: number,
  concurrency: number,
  changes: number,
  windowMs: number,
): Promise<ChangeToPage | undefined> {
  const client = new BackendClient(backend.port, pages);
  const opened = await openPages(
    'kupe-card',
    client,
    components,
    instances,
    pages,
    concurrency,
    10_000,
  );
  try {
    return await measureChanges(opened.pages, doubles, windowMs, changes);
  } finally {
    await Promise.all(opened.pages.map(p => p.close()));
    client.close();
  }
}

/**
 * `count` views of `sequence` on `clients` concurrent clients, and more until `minMs` have
 * passed; latencies in ms.
 */
export async function load(
  sequence: Component[],
  count: number,
  clients: number,
  view: (component: Component) => Promise<void>,
  minMs = 0,
) {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const start = performance.now();
  const more = () => next < count || performance.now() - start < minMs;
  await Promise.all(
    Array.from({ length: Math.min(clients, count) }, async () => {
      while (more()) {
        const component = sequence[next++ % sequence.length];
        const t0 = performance.now();
        try {
          await view(component);
          latencies.push(performance.now() - t0);
        } catch (error) {
          failures++;
          firstFailure ??= String(error);
        }
      }
    }),
  );
  const ms = performance.now() - start;
  latencies.sort((a, b) => a - b);
  return {
    views: next,
    clients,
    ms: round(ms, 0),
    viewsPerSecond: round(next / (ms / 1000), 0),
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies[latencies.length - 1] ?? NaN),
    failures,
    firstFailure,
  };
}
