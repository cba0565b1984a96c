/*
 * The index's listing of one large instance, before and after `fields=`, in one run:
 *
 *   yarn workspace @kupe/plugin-gitops-backend bench:listing [--apps 10000] [--instances 1]
 *     [--latency-ms 5]
 *
 * The parent serves `--instances` Argo CD fakes of `--apps` realistic-size applications each
 * (40 resources, conditions, six images, a 10-entry history: the sandbox's `seedScale`). For
 * each mode, a fresh child process (run with --expose-gc, so its RSS is only the backend's)
 * starts one `InstanceIndex` per instance with the product defaults and reports how long the
 * first listing took, the heap and RSS after garbage collection once every index is loaded,
 * and how long `stop()` took while a relisting was in flight. The modes:
 * - `full`: the listing as it was before this change: every field of every app, the body
 *   read whole and parsed whole;
 * - `fields`: the listing as it is: `INDEX_LIST_FIELDS`, each app parsed as it arrives.
 * The same index code runs in both; `full` only drops `fields` and `onItem` from its request.
 * `baseline*` is the child's heap and RSS before any listing (modules loaded), so the growth
 * is what the index and its listing cost.
 */
import { type ChildProcess, fork } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { mockServices } from '@backstage/backend-test-utils';
import { SYNC_POLICIES, TenantNaming } from '@kupe/plugin-gitops-common';
import {
  type ArgoCdClient,
  DefaultArgoCdClient,
} from '@kupe/plugin-gitops-node';
import {
  ArgoCdFake,
  buildApplication,
  buildTenantProject,
  serveFetchHandler,
} from '@kupe/plugin-gitops-node-test-utils';
import { DEFAULT_BACKEND_OPTIONS } from '../src/config/BackendOptions';
import { InstanceIndex } from '../src/applicationIndex/InstanceIndex';

type Mode = 'full' | 'fields';

interface ChildResult {
  mode: Mode;
  listMs: number[];
  heapMb: number;
  rssMb: number;
  baselineHeapMb: number;
  baselineRssMb: number;
  stopDuringListingMs: number;
  apps: number;
}

/**
 * Realistic-size apps as the sandbox's scale mode makes them (50 tenants, three
 * environments, every sync policy, one app in six Degraded, one in seven OutOfSync).
 */
function seed(fake: ArgoCdFake, applications: number): void {
  const tenants = Array.from({ length: 50 }, (_, i) => `tenant${i}`);
  for (const tenant of tenants) fake.putProject(buildTenantProject({ tenant }));
  for (let i = 0; i < applications; i++) {
    const tenant = tenants[i % tenants.length];
    const environment = ['dev', 'staging', 'production'][
      Math.floor(i / tenants.length) % 3
    ];
    const component = `${tenant}-svc${Math.floor(i / (tenants.length * 3))}`;
    fake.putApplication(
      buildApplication({
        name: `${component}-${environment}`,
        tenant,
        component,
        environment,
        syncPolicy: SYNC_POLICIES[i % SYNC_POLICIES.length],
        health: i % 6 === 5 ? 'Degraded' : 'Healthy',
        syncStatus: i % 7 === 0 ? 'OutOfSync' : 'Synced',
        realistic: true,
      }),
    );
  }
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function settled(): { heapMb: number; rssMb: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) gc?.();
  const m = process.memoryUsage();
  return { heapMb: m.heapUsed / 2 ** 20, rssMb: m.rss / 2 ** 20 };
}

async function child(mode: Mode, urls: string[]): Promise<ChildResult> {
  const logger = mockServices.rootLogger({ level: 'warn' });
  const clients = urls.map((url, i) => {
    const client = new DefaultArgoCdClient({
      name: `argocd-${i + 1}`,
      url,
      token: ArgoCdFake.adminToken,
    });
    if (mode === 'fields') return client as ArgoCdClient;
    return new Proxy(client, {
      get(target, prop) {
        if (prop === 'listApplications')
          return (query: Parameters<ArgoCdClient['listApplications']>[0]) =>
            target.listApplications({
              ...query,
              fields: undefined,
              onItem: undefined,
            });
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as ArgoCdClient;
  });
  const indexes = clients.map(
    client =>
      new InstanceIndex({
        client,
        naming: new TenantNaming(),
        options: DEFAULT_BACKEND_OPTIONS,
        logger,
        onChange: () => {},
      }),
  );
  const baseline = settled();
  const started = performance.now();
  const listMs: number[] = [];
  for (const index of indexes) index.start();
  await Promise.all(
    indexes.map(async index => {
      const loaded = await index.whenReady(
        DEFAULT_BACKEND_OPTIONS.listTimeoutMs,
      );
      if (!loaded) throw new Error(`${index.instance} did not load`);
      listMs.push(performance.now() - started);
    }),
  );
  const memory = settled();
  const apps = indexes.reduce((n, index) => n + index.size, 0);
  for (const index of indexes) await index.stop();
  // A stop while every index is in its first listing (the target run hung there).
  for (const index of indexes) index.start();
  await new Promise(resolve => setTimeout(resolve, 300));
  const stopping = performance.now();
  await Promise.all(indexes.map(index => index.stop()));
  return {
    mode,
    listMs,
    ...memory,
    baselineHeapMb: baseline.heapMb,
    baselineRssMb: baseline.rssMb,
    stopDuringListingMs: performance.now() - stopping,
    apps,
  };
}

function runChild(mode: Mode, urls: string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc: ChildProcess = fork(__filename, ['--child', mode, ...urls], {
      execArgv: [...process.execArgv, '--expose-gc'],
    });
    // The TypeScript loader sends its own messages over the same channel.
    proc.on('message', (message: { type?: string; result?: ChildResult }) => {
      if (message?.type === 'result' && message.result) resolve(message.result);
    });
    proc.once('exit', code => {
      if (code) reject(new Error(`${mode} child exited with ${code}`));
    });
  });
}

async function main(): Promise<void> {
  const childAt = process.argv.indexOf('--child');
  if (childAt >= 0) {
    const mode = process.argv[childAt + 1] as Mode;
    const result = await child(mode, process.argv.slice(childAt + 2));
    process.send?.({ type: 'result', result }, () => process.exit(0));
    return;
  }
  const apps = arg('apps', 10_000);
  const instances = arg('instances', 1);
  const latencyMs = arg('latency-ms', 5);
  const servers: http.Server[] = [];
  const urls: string[] = [];
  for (let i = 0; i < instances; i++) {
    const fake = new ArgoCdFake({ latencyMs });
    seed(fake, apps);
    const origin = { url: '' };
    const server = http.createServer((req, res) => {
      void serveFetchHandler(req, res, origin.url, r => fake.handle(r));
    });
    server.keepAliveTimeout = 0;
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    origin.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    servers.push(server);
    urls.push(origin.url);
  }
  const loadBefore = os.loadavg();
  const results: ChildResult[] = [];
  for (const mode of ['full', 'fields'] as const) {
    results.push(await runChild(mode, urls));
  }
  const loadAfter = os.loadavg();
  const round = (n: number) => Math.round(n);
  const [full, lean] = results;
  console.log(
    JSON.stringify(
      {
        apps,
        instances,
        latencyMs,
        load: { before: loadBefore, after: loadAfter },
        results: results.map(r => ({
          ...r,
          listMs: r.listMs.map(round),
          heapMb: round(r.heapMb),
          rssMb: round(r.rssMb),
          baselineHeapMb: round(r.baselineHeapMb),
          baselineRssMb: round(r.baselineRssMb),
          stopDuringListingMs: round(r.stopDuringListingMs),
        })),
        fieldsVsFull: {
          listTime: +(
            Math.max(...lean.listMs) / Math.max(...full.listMs)
          ).toFixed(3),
          rss: +(lean.rssMb / full.rssMb).toFixed(3),
          heap: +(lean.heapMb / full.heapMb).toFixed(3),
        },
      },
      null,
      2,
    ),
  );
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
