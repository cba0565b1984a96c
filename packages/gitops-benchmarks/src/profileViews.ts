/*
 * Where Kupe's backend spends its CPU on steady-state entity views, without the rest of the
 * benchmark: the Argo CD doubles (`--instances`, one by default) and Kupe's backend, each in its own process as `bench` runs
 * them, a warm-up, then rounds of views at `--concurrency` clients; the last round's CPU
 * profile (only the views, not the start or the index load) is written to `--out`.
 *
 *   yarn workspace @kupe/gitops-benchmarks profile-views [--view kupe-card]
 *     [--instances 1] [--applications 500] [--views 1000] [--rounds 3] [--concurrency 50] [--latency 5]
 *     [--out /tmp/kupe-views.cpuprofile]
 *
 * Figures per round: views/s, latency p50/p99 and the backend's CPU per view, as `bench`
 * measures them. The machine is shared: print `uptime` beside any figure.
 */
import os from 'node:os';
import { BackendClient, viewEntity } from './entityViews';
import { load } from './runScenario';
import type { ViewId } from './types';
import { spawnArgoCdDoubles, spawnPluginBackend } from './workers';

const argOf = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
};
const numberOf = (name: string, fallback: number) =>
  Number(argOf(name, String(fallback)));

async function main() {
  const view = argOf('view', 'kupe-card') as ViewId;
  const views = numberOf('views', 1000);
  const rounds = numberOf('rounds', 3);
  const concurrency = numberOf('concurrency', 50);
  const latencyMs = numberOf('latency', 5);
  const out = argOf('out', '/tmp/kupe-views.cpuprofile');
  const doubles = await spawnArgoCdDoubles({
    instances: numberOf('instances', 1),
    applications: numberOf('applications', 500),
    latencyMs,
    churn: true,
  });
  const { instances, components } = doubles;
  const backend = await spawnPluginBackend('kupe', {
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
    await load(sequence, Math.max(200, views / 5), concurrency, viewOnce);
    for (let round = 1; round <= rounds; round++) {
      const last = round === rounds;
      if (last) await backend.startCpuProfile!();
      const cpuBefore = await backend.cpuMs();
      const run = await load(sequence, views, concurrency, viewOnce);
      const cpuMs = (await backend.cpuMs()) - cpuBefore;
      if (last) await backend.stopCpuProfile!(out);
      process.stdout.write(
        `${view} round ${round}: ${run.viewsPerSecond} views/s, p50 ${
          run.p50
        } ms, p99 ${run.p99} ms, ${(cpuMs / views).toFixed(
          3,
        )} ms backend CPU/view, ${run.failures} failures${
          run.firstFailure ? ` (${run.firstFailure})` : ''
        }; load ${os
          .loadavg()
          .map(n => n.toFixed(2))
          .join(' ')}\n`,
      );
    }
    process.stdout.write(`CPU profile of the last round: ${out}\n`);
  } finally {
    client.close();
    await backend.stop();
    await doubles.stop();
  }
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
