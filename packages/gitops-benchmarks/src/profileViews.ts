/*
 * Where a backend (Kupe's by default) spends its CPU and memory on steady-state entity views,
 * without the rest of the benchmark: the Argo CD doubles (`--instances`, one by default) and
 * the `--plugin`'s backend, each in its own process as `bench` runs them, a warm-up, then
 * rounds of views at `--concurrency` clients; the last round's CPU profile (only the views,
 * not the start or the index load) is written to `--out`, and with `--heap-out` a heap
 * snapshot taken after the last round (read it with `heapSummary.ts`). With `--alloc-out`, the
 * last round's allocations instead of its CPU (V8's sampling heap profile, objects already
 * collected included: what a view allocates). `--settle-seconds` waits that long after the
 * warm-up, so that the rounds run after the backend's start-up work (Kupe: Argo CD's re-send
 * of every app after a start, the first liveness check 30 s after its index loaded).
 *
 * `--plugin floor` profiles the floor's backend (a route that only authenticates and answers)
 * under Kupe's card view, as `bench` measures it.
 *
 *   yarn workspace @kupe/gitops-benchmarks profile-views [--plugin kupe] [--view kupe-card]
 *     [--instances 1] [--applications 500] [--views 1000] [--rounds 3] [--concurrency 50] [--latency 5]
 *     [--small-apps] [--out /tmp/kupe-views.cpuprofile] [--heap-out /tmp/kupe.heapsnapshot]
 *     [--alloc-out /tmp/kupe-views.heapprofile] [--settle-seconds 0]
 *
 * The apps are realistic-size ones, as `bench` seeds them, unless `--small-apps` (2 resources,
 * one image, a short history: records and heap then differ from the benchmark's).
 *
 * Figures per round: views/s, latency p50/p99/max and the backend's CPU per view, as `bench`
 * measures them, how late the backend's event loop ran meanwhile (a tail that is not in it
 * is not the backend's synchronous work), and its settled RSS and heap after the round. The machine is shared: print
 * `uptime` beside any figure.
 *
 * With `--cold`, the start-up instead, as `bench` measures its cold run: the profile covers the
 * first view (Kupe's waits for its index's listing) and the `--warmup` views right after it
 * (default 100, at `--concurrency`), while Argo CD re-sends every app on the index's watch.
 * Printed: the CPU of the backend and of the doubles in each phase, how long the watch stayed
 * busy (see `watchTraffic`), how late the backend's event loop ran (a request
 * waiting behind synchronous work), and the cold views' latencies. The profile's
 * `post` (node:inspector) samples are the profiler's own start, before the first view.
 */
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { BackendClient, startSession, viewEntity } from './entityViews';
import { load } from './runScenario';
import {
  type ArgoCdDoubles,
  type BackendId,
  type Component,
  PLUGIN_IDS,
  type PluginBackend,
  VIEWS_OF,
  type ViewId,
  addCounts,
} from './types';
import { spawnArgoCdDoubles, spawnPluginBackend } from './workers';

const argOf = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
};
const numberOf = (name: string, fallback: number) =>
  Number(argOf(name, String(fallback)));

async function main() {
  const plugin = argOf('plugin', 'kupe') as BackendId;
  if (plugin !== 'floor' && !PLUGIN_IDS.includes(plugin))
    throw new Error(`unknown --plugin ${plugin}`);
  const view = argOf(
    'view',
    VIEWS_OF[plugin === 'floor' ? 'kupe' : plugin][0],
  ) as ViewId;
  const heapOut = argOf('heap-out', '');
  const views = numberOf('views', 1000);
  const rounds = numberOf('rounds', 3);
  const concurrency = numberOf('concurrency', 50);
  const latencyMs = numberOf('latency', 5);
  const out = argOf('out', '/tmp/kupe-views.cpuprofile');
  const allocOut = argOf('alloc-out', '');
  const settleSeconds = numberOf('settle-seconds', 0);
  const doubles = await spawnArgoCdDoubles({
    instances: numberOf('instances', 1),
    applications: numberOf('applications', 500),
    latencyMs,
    churn: true,
    realistic: !process.argv.includes('--small-apps'),
  });
  const { instances, components } = doubles;
  const backend = await spawnPluginBackend(plugin, {
    instances,
    components,
    latencyMs,
  });
  const client = new BackendClient(backend.port, concurrency);
  try {
    const sequence = components.map(
      (_, i) => components[(i * 7919) % components.length],
    );
    const viewOnce = async (component: (typeof components)[number]) => {
      await viewEntity(view, client, component, instances);
    };
    await startSession(view, client, sequence[0], instances);
    if (process.argv.includes('--cold')) {
      await profileColdStart(backend, doubles, sequence, viewOnce, {
        view,
        views: numberOf('warmup', 100),
        concurrency,
        out,
      });
      return;
    }
    await load(sequence, Math.max(200, views / 5), concurrency, viewOnce);
    if (settleSeconds > 0) await sleep(settleSeconds * 1000);
    for (let round = 1; round <= rounds; round++) {
      const last = round === rounds;
      if (last && allocOut) await backend.startAllocationProfile!();
      else if (last) await backend.startCpuProfile!();
      const cpuBefore = await backend.cpuMs();
      await backend.startEventLoopDelay!();
      const run = await load(sequence, views, concurrency, viewOnce);
      const cpuMs = (await backend.cpuMs()) - cpuBefore;
      const delay = await backend.stopEventLoopDelay!();
      if (last && allocOut) await backend.stopAllocationProfile!(allocOut);
      else if (last) await backend.stopCpuProfile!(out);
      const memory = await backend.memory();
      process.stdout.write(
        `${view} round ${round}: ${run.viewsPerSecond} views/s, p50 ${
          run.p50
        } ms, p99 ${run.p99} ms, max ${run.max} ms, ${(cpuMs / views).toFixed(
          3,
        )} ms backend CPU/view, ${run.failures} failures${
          run.firstFailure ? ` (${run.firstFailure})` : ''
        }; event loop late by p50 ${delay.p50Ms} ms, p99 ${
          delay.p99Ms
        } ms, max ${delay.maxMs} ms; then RSS ${memory.rssMb} MB, heap ${
          memory.heapUsedMb
        } MB used of ${memory.heapTotalMb} MB committed, external ${
          memory.externalMb
        } MB; load ${os
          .loadavg()
          .map(n => n.toFixed(2))
          .join(' ')}\n`,
      );
    }
    process.stdout.write(
      `Heap spaces (committed / used MB): ${(await backend.heapSpaces!())
        .map(s => `${s.space} ${s.committedMb} / ${s.usedMb}`)
        .join(', ')}\n`,
    );
    process.stdout.write(
      allocOut
        ? `Allocation profile of the last round: ${allocOut}\n`
        : `CPU profile of the last round: ${out}\n`,
    );
    if (heapOut) {
      await backend.takeHeapSnapshot!(heapOut);
      process.stdout.write(`Heap snapshot after the last round: ${heapOut}\n`);
    }
  } finally {
    client.close();
    await backend.stop();
    await doubles.stop();
  }
}

const loadNow = () =>
  os
    .loadavg()
    .map(n => n.toFixed(2))
    .join(' ');

/**
 * The doubles' watch bytes, polled: when the last poll that saw more than `quietBytes` of
 * them was, and how many there were. Busy is not only the re-send (a few seconds): the
 * forwarder compares an app's projected message with the last one sent, `type` included, so
 * each app's next reconcile goes out once more, as MODIFIED after the re-send's ADDED, over
 * one reconcile period (120 to 180 s); only then do reconciles send nothing.
 */
function watchTraffic(doubles: ArgoCdDoubles, pollMs = 100, quietBytes = 1024) {
  const started = performance.now();
  let bytes = 0;
  let lastBusyAt = started;
  let stopped = false;
  const polling = (async () => {
    while (!stopped) {
      const counts = addCounts(...(await doubles.takeCounts()));
      const watched = counts.byKind.watch.bytes;
      bytes += watched;
      if (watched > quietBytes) lastBusyAt = performance.now();
      await sleep(pollMs);
    }
  })();
  return {
    get bytes() {
      return bytes;
    },
    /** Ms from `started` until the last busy poll. */
    busyForMs: () => lastBusyAt - started,
    quietForMs: () => performance.now() - lastBusyAt,
    stop: async () => {
      stopped = true;
      await polling;
    },
  };
}

async function profileColdStart(
  backend: PluginBackend,
  doubles: ArgoCdDoubles,
  sequence: Component[],
  viewOnce: (component: Component) => Promise<void>,
  options: { view: ViewId; views: number; concurrency: number; out: string },
) {
  const cpu = async () => {
    const [own, theirs] = await Promise.all([backend.cpuMs(), doubles.cpuMs()]);
    return { backend: own, doubles: theirs.reduce((a, b) => a + b, 0) };
  };
  const spent = (
    from: { backend: number; doubles: number },
    to: { backend: number; doubles: number },
  ) =>
    `backend ${Math.round(
      to.backend - from.backend,
    )} ms CPU, doubles ${Math.round(to.doubles - from.doubles)} ms CPU`;
  await doubles.takeCounts();
  await backend.startCpuProfile!();
  const atStart = await cpu();
  await backend.startEventLoopDelay!();
  const traffic = watchTraffic(doubles);
  const t0 = performance.now();
  await viewOnce(sequence[0]);
  const firstViewMs = performance.now() - t0;
  const afterFirst = await cpu();
  const run = await load(
    sequence,
    options.views,
    options.concurrency,
    viewOnce,
  );
  const afterCold = await cpu();
  const delay = await backend.stopEventLoopDelay!();
  await backend.stopCpuProfile!(options.out);
  // Until the watch is quiet for a few seconds, at most a minute more.
  for (let waited = 0; traffic.quietForMs() < 3000 && waited < 60_000; )
    waited += await sleep(500, 500);
  await traffic.stop();
  const afterBusy = await cpu();
  const busyUntilMs = traffic.busyForMs();
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(
    `first ${options.view} view: ${Math.round(firstViewMs)} ms; ${spent(
      atStart,
      afterFirst,
    )}`,
  );
  out(
    `${options.views} cold views at ${options.concurrency} clients: p50 ${
      run.p50
    } ms, p99 ${run.p99} ms, max ${run.max} ms, ${run.ms} ms in all, ${
      run.failures
    } failures${run.firstFailure ? ` (${run.firstFailure})` : ''}; ${spent(
      afterFirst,
      afterCold,
    )}`,
  );
  out(
    `backend's event loop from the first view to the cold views' end: late by p50 ${delay.p50Ms} ms, p99 ${delay.p99Ms} ms, max ${delay.maxMs} ms`,
  );
  out(
    `watch: ${Math.round(traffic.bytes / 1024)} KiB, busy until ${Math.round(
      busyUntilMs,
    )} ms (at most a minute after the cold views) after the first view's request (cold views ended at ${Math.round(
      firstViewMs + run.ms,
    )} ms); from the cold views' end to then: ${spent(afterCold, afterBusy)}`,
  );
  out(`load ${loadNow()}`);
  out(`CPU profile of the first and cold views: ${options.out}`);
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
