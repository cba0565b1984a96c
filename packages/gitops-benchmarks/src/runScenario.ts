import os from 'node:os';
import { startArgoCdDoubles } from './argoCdDoubles';
import { BackendClient, startSession, viewEntity } from './entityViews';
import { startPluginBackend } from './pluginBackends';
import type {
  ArgoCdDoubles,
  Component,
  DoublesOptions,
  Memory,
  PluginBackend,
  PluginId,
} from './types';
import { spawnArgoCdDoubles, spawnPluginBackend } from './workers';

export interface ScenarioOptions extends DoublesOptions {
  plugins: PluginId[];
  /** Views measured at `concurrency` clients, the same entity sequence for every plugin. */
  views: number;
  concurrency: number;
  /** Views measured at one client (0 skips). */
  sequentialViews: number;
  warmupViews: number;
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
  upstreamRequests: number;
  upstreamPerThousandViews: number;
  backendCpuMsPerView: number;
}

export interface PluginResult {
  plugin: PluginId;
  /** Upstream requests from backend start until the first view answered (index load). */
  startupUpstreamRequests: number;
  /** Upstream requests during the warm-up views (Kupe: its watch streams opening). */
  warmupUpstreamRequests: number;
  firstViewMs: number;
  concurrent: LoadRun;
  sequential?: LoadRun;
  memoryStarted: Memory;
  memoryAfter: Memory;
}

export interface ScenarioResult {
  instances: number;
  applications: number;
  components: number;
  latencyMs: number;
  results: PluginResult[];
  loadAverage: { before: number; after: number };
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
const sum = (counts: number[]) => counts.reduce((a, b) => a + b, 0);

/**
 * Runs one scenario: starts the Argo CD doubles, then each plugin's backend in turn against
 * them (one backend at a time, so none competes with another for the CPU), and measures the
 * same sequence of entity views through each plugin's own frontend request pattern.
 */
export async function runScenario(
  options: ScenarioOptions,
): Promise<ScenarioResult> {
  const log = options.log ?? (() => {});
  const inline = options.processes === 'inline';
  const doubles: ArgoCdDoubles = inline
    ? await startArgoCdDoubles(options)
    : await spawnArgoCdDoubles(options);
  const loadBefore = os.loadavg()[0];
  try {
    const { instances, components } = doubles;
    const rand = random(42);
    const sequence = Array.from(
      {
        length: Math.max(
          options.views,
          options.sequentialViews,
          options.warmupViews,
        ),
      },
      () => components[Math.floor(rand() * components.length)],
    );
    log(
      `${instances.length} instance(s) x ${options.applications} applications (${components.length} components), ${options.latencyMs} ms upstream latency`,
    );
    const results: PluginResult[] = [];
    for (const plugin of options.plugins) {
      await doubles.takeRequestCounts();
      const backend: PluginBackend = inline
        ? await startPluginBackend(plugin, { instances, components })
        : await spawnPluginBackend(plugin, { instances, components });
      const client = new BackendClient(backend.port, options.concurrency);
      try {
        const memoryStarted = await backend.memory();
        const view = async (component: Component) => {
          const apps = await viewEntity(plugin, client, component, instances);
          const expected = component.appsPerInstance * instances.length;
          if (apps !== expected) {
            throw new Error(
              `${plugin} showed ${apps} applications of ${component.name}, expected ${expected}`,
            );
          }
        };
        const t0 = performance.now();
        await startSession(plugin, client, sequence[0]);
        await view(sequence[0]);
        const firstViewMs = round(performance.now() - t0, 0);
        const startupUpstreamRequests = sum(await doubles.takeRequestCounts());

        const warmup = await load(
          sequence,
          options.warmupViews,
          options.concurrency,
          view,
        );
        if (warmup.failures > 0)
          throw new Error(`${plugin} warm-up failed: ${warmup.firstFailure}`);
        const warmupUpstreamRequests = sum(await doubles.takeRequestCounts());

        const measure = async (views: number, clients: number) => {
          const cpuBefore = await backend.cpuMs();
          const run = await load(sequence, views, clients, view);
          const cpuAfter = await backend.cpuMs();
          const upstreamRequests = sum(await doubles.takeRequestCounts());
          return {
            ...run,
            upstreamRequests,
            upstreamPerThousandViews: round((upstreamRequests / views) * 1000),
            backendCpuMsPerView: round((cpuAfter - cpuBefore) / views, 3),
          };
        };
        const sequential =
          options.sequentialViews > 0
            ? await measure(options.sequentialViews, 1)
            : undefined;
        const concurrent = await measure(options.views, options.concurrency);
        const memoryAfter = await backend.memory();
        const result: PluginResult = {
          plugin,
          startupUpstreamRequests,
          warmupUpstreamRequests,
          firstViewMs,
          concurrent,
          sequential,
          memoryStarted,
          memoryAfter,
        };
        log(
          `  ${plugin}: ${concurrent.upstreamPerThousandViews} upstream req/1000 views, p50 ${concurrent.p50} ms, p99 ${concurrent.p99} ms, ${concurrent.viewsPerSecond} views/s, ${concurrent.failures} failures, heap ${memoryAfter.heapUsedMb} MB, RSS ${memoryAfter.rssMb} MB`,
        );
        results.push(result);
      } finally {
        client.close();
        await backend.stop();
      }
    }
    return {
      instances: options.instances,
      applications: options.applications,
      components: components.length,
      latencyMs: options.latencyMs,
      results,
      loadAverage: { before: round(loadBefore), after: round(os.loadavg()[0]) },
    };
  } finally {
    await doubles.stop();
  }
}

/** `count` views of `sequence` on `clients` concurrent clients; latencies in ms. */
async function load(
  sequence: Component[],
  count: number,
  clients: number,
  view: (component: Component) => Promise<void>,
) {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(clients, count) }, async () => {
      while (next < count) {
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
    views: count,
    clients,
    ms: round(ms, 0),
    viewsPerSecond: round(count / (ms / 1000), 0),
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies[latencies.length - 1] ?? NaN),
    failures,
    firstFailure,
  };
}
