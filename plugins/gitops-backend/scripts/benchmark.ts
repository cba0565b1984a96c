/*
 * Benchmarks the gitops backend plugin against the Argo CD fake at scale, next to a baseline
 * of what today's Argo CD plugins do (one `listApplications` with the entity's selector per
 * entity view). All traffic is on loopback (127.0.0.1); the run stops by itself.
 *
 *   yarn workspace @kupe/plugin-gitops-backend bench [--apps 10000] [--tenants 50]
 *     [--views 5000] [--baseline-views 2000] [--concurrency 50] [--latency-ms 5]
 *     [--sequential-views 200] [--changes 7] [--timeout-s 300] [--cpu-prof <dir>]
 *     [--catalog-latency-ms 0] [--warm-up-views 5000]
 *   yarn workspace @kupe/plugin-gitops-backend bench --churn | --staleness  (churnBenchmark.ts)
 *
 * The 50-client figures are the steady state: a fresh process spends its first seconds in
 * V8's lower JIT tiers, so the run starts after `--warm-up-views` views (about 1.5 s at 50
 * clients); the warm-up's own latencies are printed too, as the cold-start row.
 *
 * Processes:
 * - parent: the Argo CD fake on 127.0.0.1 (it counts upstream requests), the HTTP load
 *   generator (50 concurrent keep-alive clients) and the server-sent-events client;
 * - child `backend`: the real plugin in `startTestBackend`, alone in its process so its heap
 *   and RSS are measured without the fake's (run with --expose-gc);
 * - child `baseline`: `DefaultArgoCdClient.listApplications({ selector })` per view.
 *
 * The fake holds its list response until the backend child has measured its heap with the
 * index still empty, so the growth after the first listing is what the index holds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import http, {
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import {
  type LoggerService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ARGOCD_APP_SELECTOR_ANNOTATION,
  KUBERNETES_ID_LABEL,
  SYNC_POLICIES,
  TENANT_ANNOTATION,
} from '@kupe/plugin-gitops-common';
import {
  DefaultArgoCdService,
  type HealthStatusCode,
} from '@kupe/plugin-gitops-node';
import {
  ArgoCdFake,
  buildApplication,
  buildCluster,
  buildTenantProject,
  serveFetchHandler,
} from '@kupe/plugin-gitops-node-test-utils';
import gitOpsPlugin from '../src';
import { churnEntry } from './churnBenchmark';

// ------------------------------------------------------------------ shared

interface Component {
  name: string;
  tenant: string;
  apps: number;
}

interface LatencySummary {
  views: number;
  ms: number;
  viewsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  failures: number;
}

interface Memory {
  heapUsedMb: number;
  rssMb: number;
}

type ToChild =
  | { type: 'setup'; components: Component[]; catalogLatencyMs: number }
  | { type: 'memory' }
  | { type: 'cpu' }
  | { type: 'stop' }
  | {
      type: 'baseline';
      selectors: string[];
      expected: number[];
      concurrency: number;
    }
  | { type: 'go'; views: number; concurrency: number };

type FromChild =
  | { type: 'started'; port: number; before: Memory }
  | { type: 'indexed'; after: Memory; peak: Memory; loadMs: number }
  | { type: 'memory'; memory: Memory }
  | {
      type: 'cpu';
      userMs: number;
      systemMs: number;
      catalogReads: number;
      gc: GcPauses;
    }
  | { type: 'warm' }
  | { type: 'done'; summary: LatencySummary };

/** The backend's garbage-collection pauses since the previous `cpu` message. */
type GcPauses = { count: number; totalMs: number; maxMs: number };

const ENVIRONMENTS = ['dev', 'staging', 'production'];
const HEALTH: HealthStatusCode[] = [
  'Healthy',
  'Healthy',
  'Healthy',
  'Healthy',
  'Progressing',
  'Degraded',
];

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`--${name} must be a number`);
  return value;
}

function stringArg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) throw new Error(`--${name} missing`);
  return process.argv[i + 1];
}

const silentLogger: LoggerService = {
  error: message => process.stderr.write(`[backend] ${message}\n`),
  warn: message => process.stderr.write(`[backend] ${message}\n`),
  info: () => {},
  debug: () => {},
  child: () => silentLogger,
};

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

function memory(): Memory {
  const m = process.memoryUsage();
  return { heapUsedMb: mb(m.heapUsed), rssMb: mb(m.rss) };
}

function settledMemory(): Memory {
  // Twice: the first pass may only schedule finalizers of what the second frees.
  global.gc?.();
  global.gc?.();
  return memory();
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(
    sorted.length - 1,
    Math.ceil((p / 100) * sorted.length) - 1,
  );
  return sorted[Math.max(0, i)];
}

function summarize(
  latencies: number[],
  ms: number,
  failures: number,
): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    views: latencies.length,
    ms: Math.round(ms),
    viewsPerSecond: Math.round(latencies.length / (ms / 1000)),
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? NaN),
    failures,
  };
}

/** Runs `count` jobs on `concurrency` workers; returns per-job latencies in ms. */
async function runConcurrently(
  count: number,
  concurrency: number,
  job: (i: number) => Promise<boolean>,
): Promise<{ latencies: number[]; ms: number; failures: number }> {
  const latencies: number[] = new Array(count);
  let next = 0;
  let failures = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = process.hrtime.bigint();
        let ok = false;
        try {
          ok = await job(i);
        } catch {
          ok = false;
        }
        latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6;
        if (!ok) failures++;
      }
    }),
  );
  return {
    latencies,
    ms: Number(process.hrtime.bigint() - start) / 1e6,
    failures,
  };
}

function send(message: ToChild | FromChild, to: NodeJS.Process | ChildProcess) {
  to.send!(message);
}

// ------------------------------------------------------------------ parent: the fake

/** 10,000 apps as `seedScale` of the sandbox lays them out: tenants × components × envs. */
function seedFake(
  fake: ArgoCdFake,
  apps: number,
  tenantCount: number,
): Component[] {
  const tenants = Array.from(
    { length: tenantCount },
    (_, i) => `tenant${String(i).padStart(3, '0')}`,
  );
  for (const tenant of tenants) {
    fake.putProject(
      buildTenantProject({
        tenant,
        sourceRepos: [`https://git.example.com/${tenant}/*`],
      }),
    );
    for (const environment of ENVIRONMENTS)
      fake.putCluster(buildCluster({ tenant, environment }));
  }
  const components = new Map<string, Component>();
  for (let i = 0; i < apps; i++) {
    const tenant = tenants[i % tenantCount];
    const environment =
      ENVIRONMENTS[Math.floor(i / tenantCount) % ENVIRONMENTS.length];
    const name = `${tenant}-svc${Math.floor(
      i / (tenantCount * ENVIRONMENTS.length),
    )}`;
    fake.putApplication(
      buildApplication({
        name: `${name}-${environment}`,
        tenant,
        component: name,
        environment,
        syncPolicy: SYNC_POLICIES[i % SYNC_POLICIES.length],
        health: HEALTH[i % HEALTH.length],
        syncStatus: i % 7 === 0 ? 'OutOfSync' : 'Synced',
        historyLength: 1 + (i % 3),
      }),
    );
    const component = components.get(name) ?? { name, tenant, apps: 0 };
    component.apps++;
    components.set(name, component);
  }
  return [...components.values()];
}

/**
 * Serves the fake on 127.0.0.1, streaming bodies (the watch never ends) and aborting the
 * fake's request when the client goes away. `gate` holds the full listing back.
 */
function serve(fake: ArgoCdFake, gate: Promise<void>): Promise<Server> {
  const handle = (req: IncomingMessage, res: ServerResponse) =>
    serveFetchHandler(req, res, 'http://127.0.0.1', async request => {
      if (
        request.method === 'GET' &&
        new URL(request.url).pathname === '/api/v1/applications'
      )
        await gate;
      return fake.handle(request);
    });
  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => resolve(server)),
  );
}

function spawnChild(
  phase: 'backend' | 'baseline',
  url: string,
  profileDir?: string,
): ChildProcess {
  return spawn(
    process.execPath,
    [
      ...process.execArgv,
      ...(profileDir && phase === 'backend'
        ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]
        : []),
      '--expose-gc',
      __filename,
      '--child',
      phase,
      '--url',
      url,
    ],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
}

/** The next IPC message of `type` from a child; rejects if the child exits first. */
function nextMessage<T extends FromChild['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<FromChild, { type: T }>> {
  let onMessage: (message: FromChild) => void = () => {};
  let onExit: (code: number | null) => void = () => {};
  return new Promise<Extract<FromChild, { type: T }>>((resolve, reject) => {
    onMessage = message => {
      if (message.type === type)
        resolve(message as Extract<FromChild, { type: T }>);
    };
    onExit = code =>
      reject(new Error(`child exited with ${code} while waiting for ${type}`));
    child.on('message', onMessage);
    child.on('exit', onExit);
  }).finally(() => {
    child.off('message', onMessage);
    child.off('exit', onExit);
  });
}

/** Deterministic pseudo-random numbers (mulberry32), so every run views the same entities. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const userOf = (tenant: string) => `user:default/${tenant}-dev`;

function getJson(
  agent: http.Agent,
  port: number,
  path: string,
  authorization: string,
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path, agent, headers: { authorization } },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          try {
            resolve({
              status: res.statusCode ?? 0,
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
            });
          } catch (error) {
            reject(error);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
  });
}

/** Opens the event stream and returns a function waiting for an event matching `check`. */
async function openEvents(
  port: number,
  entityRef: string,
  authorization: string,
) {
  const events: Array<{ at: bigint; data: any }> = [];
  let waiter: (() => void) | undefined;
  const req = http.get({
    host: '127.0.0.1',
    port,
    path: `/api/gitops/events?entityRef=${encodeURIComponent(entityRef)}`,
    headers: { authorization, accept: 'text/event-stream' },
  });
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
  });
  if (res.statusCode !== 200)
    throw new Error(`events answered ${res.statusCode}`);
  res.setEncoding('utf8');
  let buffer = '';
  res.on('data', (chunk: string) => {
    const at = process.hrtime.bigint();
    buffer += chunk;
    for (
      let end = buffer.indexOf('\n\n');
      end >= 0;
      end = buffer.indexOf('\n\n')
    ) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (frame.startsWith('event: applications')) {
        events.push({ at, data: JSON.parse(frame.split('\ndata: ')[1]) });
        waiter?.();
      }
    }
  });
  const nextEvent = (timeoutMs: number) =>
    new Promise<void>(resolve => {
      const timer = setTimeout(resolve, timeoutMs);
      waiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  return {
    /** Resolves with the arrival time of the first event so far passing `check`. */
    async waitFor(check: (data: any) => boolean, timeoutMs: number) {
      const deadline = Date.now() + timeoutMs;
      let seen = 0;
      for (;;) {
        for (; seen < events.length; seen++) {
          if (check(events[seen].data)) return events[seen].at;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error('no matching event in time');
        await nextEvent(left);
      }
    },
    close: () => req.destroy(),
  };
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function main() {
  const apps = arg('apps', 10_000);
  const tenantCount = arg('tenants', 50);
  const views = arg('views', 5_000);
  const baselineViews = arg('baseline-views', 2_000);
  const concurrency = arg('concurrency', 50);
  const latencyMs = arg('latency-ms', 5);
  const changes = arg('changes', 7);
  const timeoutS = arg('timeout-s', 300);
  const sequentialViews = arg('sequential-views', 200);
  const warmUpViews = arg('warm-up-views', 5_000);
  // Delay of the backend's catalog entity reads, as a remote catalog would add (0: in memory).
  const catalogLatencyMs = arg('catalog-latency-ms', 0);
  const profileAt = process.argv.indexOf('--cpu-prof');
  const profileDir = profileAt >= 0 ? process.argv[profileAt + 1] : undefined;

  const children: ChildProcess[] = [];
  const watchdog = setTimeout(() => {
    process.stderr.write(`Benchmark exceeded ${timeoutS}s; stopping.\n`);
    for (const child of children) child.kill();
    process.exit(2);
  }, timeoutS * 1000);
  watchdog.unref();

  const auth = (user: string) => mockCredentials.user.header(user);
  const out = (line = '') => process.stdout.write(`${line}\n`);

  const seedStart = Date.now();
  const fake = new ArgoCdFake({ latencyMs });
  const components = seedFake(fake, apps, tenantCount);
  let release!: () => void;
  const gate = new Promise<void>(resolve => (release = resolve));
  const server = await serve(fake, gate);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  out(
    `Seeded ${apps} applications (${tenantCount} tenants, ${
      components.length
    } components) in ${
      Date.now() - seedStart
    } ms; Argo CD fake at ${url} with ${latencyMs} ms latency`,
  );

  // Same entity views for the plugin and the baseline.
  const rand = random(42);
  const sequence = Array.from(
    { length: Math.max(views, baselineViews) },
    () => components[Math.floor(rand() * components.length)],
  );

  try {
    // ---------------------------------------------------------------- the plugin
    const backend = spawnChild('backend', url, profileDir);
    children.push(backend);
    send({ type: 'setup', components, catalogLatencyMs }, backend);
    const started = await nextMessage(backend, 'started');
    const port = started.port;
    fake.clearRequests();
    const indexed = nextMessage(backend, 'indexed');
    release();
    const loaded = await indexed;
    // Let the watch stream open before counting the steady state.
    for (let i = 0; i < 100 && fake.openStreams === 0; i++) await sleep(20);
    const indexRequests = fake.requests.map(r => `${r.method} ${r.path}`);
    out(
      `Index loaded in ${loaded.loadMs} ms with ${
        indexRequests.length
      } upstream requests (${indexRequests.join(', ')})`,
    );

    const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    const view = async (c: Component) => {
      const res = await getJson(
        agent,
        port,
        `/api/gitops/entities/default/component/${c.name}/applications`,
        auth(userOf(c.tenant)),
      );
      return res.status === 200 && res.body.items?.length === c.apps;
    };
    // Warm-up: every tenant's group once (tenant cache), the JIT, the sockets. Its views are
    // other random components, so the measured run's entity reads are not all warm.
    const warmUpSequence = Array.from({ length: warmUpViews }, (_, i) =>
      // The first components are one per tenant.
      i < tenantCount
        ? components[i]
        : components[Math.floor(rand() * components.length)],
    );
    const requestsBeforeWarmUp = fake.requests.length;
    const warm = await runConcurrently(warmUpViews, concurrency, async i =>
      view(warmUpSequence[i]),
    );
    if (warm.failures > 0)
      throw new Error(`${warm.failures} warm-up views failed`);
    const coldStart = summarize(warm.latencies, warm.ms, warm.failures);
    const coldStartRequests = fake.requests.length - requestsBeforeWarmUp;

    const measureViews = async (count: number, clients: number) => {
      const before = fake.requests.length;
      const run = await runConcurrently(count, clients, i => view(sequence[i]));
      return {
        summary: summarize(run.latencies, run.ms, run.failures),
        requests: fake.requests.slice(before),
      };
    };
    // One client first: the service time of a view without queueing.
    const pluginSequential = await measureViews(sequentialViews, 1);
    const cpuOfBackend = async () => {
      const reply = nextMessage(backend, 'cpu');
      send({ type: 'cpu' }, backend);
      return reply;
    };
    const cpuBefore = await cpuOfBackend();
    const loadBefore = os.loadavg()[0];
    const clientCpuBefore = process.cpuUsage();
    const pluginRun = await measureViews(views, concurrency);
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const cpuAfter = await cpuOfBackend();
    const loadAfter = os.loadavg()[0];
    const catalogReadsPerThousand =
      Math.round(
        ((cpuAfter.catalogReads - cpuBefore.catalogReads) / views) * 1000 * 10,
      ) / 10;
    const backendCpuMsPerView = {
      user: (cpuAfter.userMs - cpuBefore.userMs) / views,
      system: (cpuAfter.systemMs - cpuBefore.systemMs) / views,
    };
    const plugin = pluginRun.summary;
    const pluginRequests = pluginRun.requests;

    // Change to event: mutate one app upstream, time the server-sent event.
    const target = components[0];
    const appName = `${target.name}-${ENVIRONMENTS[0]}`;
    const events = await openEvents(
      port,
      `component:default/${target.name}`,
      auth(userOf(target.tenant)),
    );
    await events.waitFor(() => true, 10_000);
    const delays: number[] = [];
    for (let i = 1; i <= changes; i++) {
      const message = `bench change ${i}`;
      await sleep(300); // past the stream's debounce, so changes do not merge
      const t0 = process.hrtime.bigint();
      fake.updateApplication(appName, app => {
        app.status = {
          ...app.status,
          health: { status: i % 2 ? 'Degraded' : 'Healthy', message },
        };
      });
      const at = await events.waitFor(
        data =>
          data.items?.some(
            (item: any) =>
              item.name === appName && item.health?.message === message,
          ),
        5_000,
      );
      delays.push(Number(at - t0) / 1e6);
    }
    events.close();
    agent.destroy();

    send({ type: 'memory' }, backend);
    const afterWorkload = await nextMessage(backend, 'memory');
    send({ type: 'stop' }, backend);
    await new Promise(resolve => backend.once('exit', resolve));

    // ---------------------------------------------------------------- the baseline
    const baseline = spawnChild('baseline', url);
    children.push(baseline);
    const baselineSequence = sequence.slice(0, baselineViews);
    send(
      {
        type: 'baseline',
        selectors: baselineSequence.map(
          c => `${KUBERNETES_ID_LABEL}=${c.name}`,
        ),
        expected: baselineSequence.map(c => c.apps),
        concurrency,
      },
      baseline,
    );
    await nextMessage(baseline, 'warm');
    const measureBaseline = async (count: number, clients: number) => {
      const before = fake.requests.length;
      const done = nextMessage(baseline, 'done');
      send({ type: 'go', views: count, concurrency: clients }, baseline);
      const { summary } = await done;
      return { summary, requests: fake.requests.length - before };
    };
    const baselineSequential = await measureBaseline(
      Math.min(sequentialViews, 100),
      1,
    );
    const baselineRun = await measureBaseline(baselineViews, concurrency);
    const base = baselineRun.summary;
    const baselineRequests = baselineRun.requests;
    send({ type: 'stop' }, baseline);
    await new Promise(resolve => baseline.once('exit', resolve));

    // ---------------------------------------------------------------- report
    const perThousand = (requests: number, n: number) =>
      Math.round((requests / n) * 1000 * 100) / 100;
    const sortedDelays = [...delays].sort((a, b) => a - b);
    const indexHeap =
      Math.round((loaded.after.heapUsedMb - started.before.heapUsedMb) * 10) /
      10;
    const indexRss =
      Math.round((loaded.after.rssMb - started.before.rssMb) * 10) / 10;
    out();
    out(
      `Entity views: ${views} (plugin) / ${baselineViews} (baseline), ${concurrency} concurrent clients, ${apps} applications`,
    );
    const row = (summary: LatencySummary, requests: number) => ({
      views: summary.views,
      'upstream req / 1000 views': perThousand(requests, summary.views),
      'p50 ms': summary.p50,
      'p99 ms': summary.p99,
      'max ms': summary.max,
      'views/s': summary.viewsPerSecond,
      failures: summary.failures,
    });
    console.table({
      [`plugin, ${concurrency} clients`]: row(plugin, pluginRequests.length),
      [`baseline, ${concurrency} clients`]: row(base, baselineRequests),
      [`plugin, ${concurrency} clients, cold start`]: row(
        coldStart,
        coldStartRequests,
      ),
      'plugin, 1 client': row(
        pluginSequential.summary,
        pluginSequential.requests.length,
      ),
      'baseline, 1 client': row(
        baselineSequential.summary,
        baselineSequential.requests,
      ),
    });
    if (pluginRequests.length > 0) {
      out(
        `  plugin upstream requests during the run: ${pluginRequests
          .map(r => `${r.method} ${r.path}`)
          .join(', ')}`,
      );
    }
    out(
      `Index memory (backend process, after gc): heap ${started.before.heapUsedMb} -> ${loaded.after.heapUsedMb} MB (+${indexHeap} MB), RSS ${started.before.rssMb} -> ${loaded.after.rssMb} MB (+${indexRss} MB); peak during the first listing heap ${loaded.peak.heapUsedMb} MB, RSS ${loaded.peak.rssMb} MB`,
    );
    out(
      `After the workload (after gc): heap ${afterWorkload.memory.heapUsedMb} MB, RSS ${afterWorkload.memory.rssMb} MB`,
    );
    out(
      `Change to event (${changes} changes): median ${percentile(
        sortedDelays,
        50,
      ).toFixed(0)} ms, max ${sortedDelays[sortedDelays.length - 1].toFixed(
        0,
      )} ms (includes the stream's 200 ms debounce)`,
    );
    out();
    out('Ratios (plugin vs baseline):');
    out(
      `  upstream requests per view: ${(pluginRequests.length / views).toFixed(
        2,
      )} vs ${(baselineRequests / base.views).toFixed(2)}`,
    );
    out(
      `  p50: ${(plugin.p50 / base.p50).toFixed(2)}x baseline, p99: ${(
        plugin.p99 / base.p99
      ).toFixed(2)}x baseline, throughput: ${(
        plugin.viewsPerSecond / base.viewsPerSecond
      ).toFixed(1)}x baseline`,
    );
    out();
    // One labeled line per figure, for comparing runs (grep '^RESULT').
    const result = (name: string, value: number | string) =>
      out(`RESULT ${name} = ${value}`);
    result('plugin 50 clients p50 ms', plugin.p50);
    result('plugin 50 clients p99 ms', plugin.p99);
    result('plugin 50 clients views/s', plugin.viewsPerSecond);
    result(
      'plugin 50 clients backend GC pauses (count, total ms, longest ms)',
      `${cpuAfter.gc.count}, ${cpuAfter.gc.totalMs.toFixed(
        1,
      )}, ${cpuAfter.gc.maxMs.toFixed(1)}`,
    );
    result(
      'plugin 50 clients backend CPU ms per view (user + system)',
      `${(backendCpuMsPerView.user + backendCpuMsPerView.system).toFixed(
        3,
      )} (${backendCpuMsPerView.user.toFixed(
        3,
      )} + ${backendCpuMsPerView.system.toFixed(3)})`,
    );
    result(
      'load generator (parent process) CPU ms per view (user + system)',
      ((clientCpu.user + clientCpu.system) / 1000 / views).toFixed(3),
    );
    result(
      `plugin 50 clients catalog entity reads per 1000 views (catalog latency ${catalogLatencyMs} ms)`,
      catalogReadsPerThousand,
    );
    result(
      'plugin 50 clients cold start (warm-up views) p99 ms',
      coldStart.p99,
    );
    result('plugin 1 client p50 ms', pluginSequential.summary.p50);
    result('plugin 1 client p99 ms', pluginSequential.summary.p99);
    result(
      'plugin upstream requests per 1000 views',
      perThousand(pluginRequests.length, plugin.views),
    );
    result('baseline 50 clients p99 ms', base.p99);
    result('baseline 50 clients views/s', base.viewsPerSecond);
    result('index heap MB', indexHeap);
    result(
      'change to event median ms',
      percentile(sortedDelays, 50).toFixed(0),
    );
    result(
      'load average (1 min) before / after the 50-client run',
      `${loadBefore.toFixed(2)} / ${loadAfter.toFixed(2)} on ${
        os.cpus().length
      } cores`,
    );
    out();
    const check = (ok: boolean, text: string) =>
      out(`  ${ok ? 'PASS' : 'FAIL'} ${text}`);
    out('Targets:');
    check(
      pluginRequests.length === 0,
      '0 upstream requests per view in steady state',
    );
    check(
      plugin.p99 < 50,
      `p99 under 50 ms in steady state (${plugin.p99} ms after ${warmUpViews} warm-up views; cold start ${coldStart.p99} ms)`,
    );
    check(indexHeap < 200, `index under 200 MB (+${indexHeap} MB heap)`);
    check(
      percentile(sortedDelays, 50) < 2_000,
      `change to event under 2 s (${percentile(sortedDelays, 50).toFixed(
        0,
      )} ms)`,
    );
    if (
      [plugin, base, pluginSequential.summary, baselineSequential.summary].some(
        r => r.failures > 0,
      )
    )
      throw new Error('some views failed');
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
    server.closeAllConnections();
    server.close();
    fake.close();
    clearTimeout(watchdog);
  }
}

// ------------------------------------------------------------------ child: the backend

async function runBackend(url: string) {
  const { components, catalogLatencyMs } = await new Promise<
    Extract<ToChild, { type: 'setup' }>
  >(resolve => process.once('message', resolve as (m: unknown) => void));

  // A catalog with indexed lookups, as the real one: per tenant a group annotated with the
  // tenant, and its components, each selecting its apps by the kubernetes-id label.
  const entities: Entity[] = [];
  for (const tenant of new Set(components.map(c => c.tenant))) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: {
        name: `${tenant}-team`,
        namespace: 'default',
        annotations: { [TENANT_ANNOTATION]: tenant },
      },
      spec: { type: 'team', children: [] },
    });
  }
  for (const c of components) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: c.name,
        namespace: 'default',
        annotations: {
          [ARGOCD_APP_SELECTOR_ANNOTATION]: `${KUBERNETES_ID_LABEL}=${c.name}`,
        },
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: `group:default/${c.tenant}-team`,
      },
    });
  }
  const byRef = new Map(
    entities.map(e => [stringifyEntityRef(e).toLocaleLowerCase('en-US'), e]),
  );
  const lookup = (
    ref: string | { kind: string; namespace?: string; name: string },
  ) =>
    byRef.get(
      (typeof ref === 'string'
        ? ref
        : stringifyEntityRef(ref)
      ).toLocaleLowerCase('en-US'),
    );
  let catalogReads = 0;
  // Only what the plugin calls: the entity of a view, and the owner groups' tenants.
  const catalog = {
    getEntityByRef: async (ref: Parameters<typeof lookup>[0]) => {
      catalogReads++;
      if (catalogLatencyMs > 0) await sleep(catalogLatencyMs);
      return lookup(ref);
    },
    getEntitiesByRefs: async (request: { entityRefs: string[] }) => ({
      items: request.entityRefs.map(ref => lookup(ref)),
    }),
  };

  const backend = await startTestBackend({
    features: [
      gitOpsPlugin,
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () => catalog as any,
      }),
      createServiceFactory({
        service: coreServices.logger,
        deps: {},
        factory: () => silentLogger,
      }),
      createServiceFactory({
        service: coreServices.userInfo,
        deps: {},
        factory: () => ({
          getUserInfo: async (credentials: any) => {
            const ref = credentials.principal.userEntityRef as string;
            // user:default/<tenant>-dev is a member of group:default/<tenant>-team
            const tenant = ref
              .replace(/^user:default\//, '')
              .replace(/-dev$/, '');
            return {
              userEntityRef: ref,
              ownershipEntityRefs: [ref, `group:default/${tenant}-team`],
            };
          },
        }),
      }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      mockServices.rootConfig.factory({
        data: {
          gitops: {
            instances: [
              {
                name: 'main',
                url,
                token: ArgoCdFake.adminToken,
                timeoutMs: 60_000,
              },
            ],
            backend: { index: { readyTimeoutMs: 60_000 } },
          },
        },
      }),
    ],
  });

  // The test backend's own server (as in the plugin's tests); every client uses 127.0.0.1.
  const port = (backend.server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true });
  const request = (path: string, user: string) =>
    getJson(agent, port, path, mockCredentials.user.header(user));
  // Warm the HTTP, auth and catalog paths without touching the index (unknown entity: 404).
  for (let i = 0; i < 20; i++) {
    await request(
      '/api/gitops/entities/default/component/no-such-component/applications',
      userOf(components[0].tenant),
    );
  }
  const before = settledMemory();
  // GC pauses stop the event loop, so they land in the latency tail.
  let gcPauses: GcPauses = { count: 0, totalMs: 0, maxMs: 0 };
  new PerformanceObserver(list => {
    for (const pause of list.getEntries()) {
      gcPauses.count += 1;
      gcPauses.totalMs += pause.duration;
      gcPauses.maxMs = Math.max(gcPauses.maxMs, pause.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  send({ type: 'started', port, before }, process);

  let peak = memory();
  const sampler = setInterval(() => {
    const m = memory();
    peak = {
      heapUsedMb: Math.max(peak.heapUsedMb, m.heapUsedMb),
      rssMb: Math.max(peak.rssMb, m.rssMb),
    };
  }, 5);
  const t0 = Date.now();
  // Waits for the index's first listing (the fake holds it until the parent releases it).
  const first = await request(
    `/api/gitops/entities/default/component/${components[0].name}/applications`,
    userOf(components[0].tenant),
  );
  const loadMs = Date.now() - t0;
  clearInterval(sampler);
  if (first.status !== 200 || first.body.items.length !== components[0].apps)
    throw new Error(`first view answered ${first.status}`);
  agent.destroy();
  send({ type: 'indexed', after: settledMemory(), peak, loadMs }, process);

  process.on('message', async (message: ToChild) => {
    if (message.type === 'memory')
      send({ type: 'memory', memory: settledMemory() }, process);
    if (message.type === 'cpu') {
      const cpu = process.cpuUsage();
      send(
        {
          type: 'cpu',
          userMs: cpu.user / 1000,
          systemMs: cpu.system / 1000,
          catalogReads,
          gc: { ...gcPauses },
        },
        process,
      );
      gcPauses = { count: 0, totalMs: 0, maxMs: 0 };
    }
    if (message.type === 'stop') {
      await backend.stop();
      process.exit(0);
    }
  });
}

// ------------------------------------------------------------------ child: the baseline

async function runBaseline(url: string) {
  const job = await new Promise<Extract<ToChild, { type: 'baseline' }>>(
    resolve => process.once('message', resolve as (m: unknown) => void),
  );
  const client = new DefaultArgoCdService(
    [{ name: 'main', url, token: ArgoCdFake.adminToken, timeoutMs: 60_000 }],
    { logger: silentLogger },
  ).forInstance('main');
  const view = async (i: number) => {
    const list = await client.listApplications({ selector: job.selectors[i] });
    return (list.items ?? []).length === job.expected[i];
  };
  // Warm-up: connections and JIT, as the plugin's run had.
  await runConcurrently(
    Math.min(200, job.selectors.length),
    job.concurrency,
    view,
  );
  process.on('message', async (message: ToChild) => {
    if (message.type === 'stop') process.exit(0);
    if (message.type !== 'go') return;
    const run = await runConcurrently(
      Math.min(message.views, job.selectors.length),
      message.concurrency,
      view,
    );
    send(
      { type: 'done', summary: summarize(run.latencies, run.ms, run.failures) },
      process,
    );
  });
  send({ type: 'warm' }, process);
}

// ------------------------------------------------------------------ entry

function entry(): Promise<void> {
  // `--churn` and `--staleness` are the Argo CD churn and liveness runs (churnBenchmark.ts).
  const churn = churnEntry();
  if (churn) return churn;
  const childAt = process.argv.indexOf('--child');
  if (childAt < 0) return main();
  if (process.argv[childAt + 1] === 'backend')
    return runBackend(stringArg('url'));
  return runBaseline(stringArg('url'));
}

entry().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
