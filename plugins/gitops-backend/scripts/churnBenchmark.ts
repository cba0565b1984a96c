/*
 * Two bounded benchmarks of what real Argo CD does to the backend, beside the plugin as it
 * was before (`--baseline-commit`, extracted with `git archive` and run in the same way):
 *
 *   yarn workspace @kupe/plugin-gitops-backend bench --churn
 *     [--apps 10000] [--streams 500] [--reconcile-s 180] [--measure-s 45]
 *     [--changes-per-min 30] [--baseline-commit <sha>]
 *
 * Churn: 10,000 apps reconciled every 180 s (each reconcile rewrites `reconciledAt`, one
 * MODIFIED event with the whole Application, about 55 a second), a few real changes a minute,
 * 500 open event streams of 500 entities. Prints the backend process's CPU share, permission
 * calls per minute and pushes per minute, for the baseline and the current plugin.
 *
 *   yarn workspace @kupe/plugin-gitops-backend bench --staleness [--apps 10000] [--trials 3]
 *
 * Staleness: how long after an upstream change the portal shows it, when the watch event is
 * dropped (a burst larger than Argo CD's 1000-event stream buffer) and when the stream goes
 * half-open (a proxy stops forwarding on every open connection). The view is polled every
 * 250 ms; the figure is the time until it shows the change or marks the data not live.
 *
 * Processes: the parent runs the Argo CD fake on 127.0.0.1 and the clients; each backend runs
 * in its own child (`startTestBackend`), so its CPU time is its own.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
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
} from '@kupe/plugin-gitops-common';
import {
  ArgoCdFake,
  SimpleController,
  TEST_IDENTITY_ORIGIN,
  buildGroup,
  buildApplication,
  buildCluster,
  buildTenantProject,
  serveFetchHandler,
} from '@kupe/plugin-gitops-node-test-utils';

/** The last commit before the index learned liveness and streams learned to filter. */
const DEFAULT_BASELINE_COMMIT = '48515c2';
const ENVIRONMENTS = ['dev', 'staging', 'production'];

interface Component {
  name: string;
  tenant: string;
}

type ToChild =
  | { type: 'setup'; components: Component[] }
  | { type: 'cpu' }
  | { type: 'stop' };
type FromChild =
  | { type: 'started'; port: number }
  | { type: 'cpu'; cpuMs: number; permissionCalls: number; at: number };

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`--${name} must be a number`);
  return value;
}

function stringArg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) {
    if (fallback === undefined) throw new Error(`--${name} missing`);
    return fallback;
  }
  return process.argv[i + 1];
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

const silentLogger: LoggerService = {
  error: message => process.stderr.write(`[backend] ${message}\n`),
  warn: () => {},
  info: () => {},
  debug: () => {},
  child: () => silentLogger,
};

const userOf = (tenant: string) => `user:default/${tenant}-dev`;

// ------------------------------------------------------------------ parent: the fake

function seed(fake: ArgoCdFake, apps: number, tenantCount = 50): Component[] {
  const tenants = Array.from(
    { length: tenantCount },
    (_, i) => `tenant${String(i).padStart(3, '0')}`,
  );
  for (const tenant of tenants) {
    fake.putProject(buildTenantProject({ tenant }));
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
        historyLength: 1 + (i % 3),
      }),
    );
    components.set(name, { name, tenant });
  }
  return [...components.values()];
}

function serve(fake: ArgoCdFake): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    serveFetchHandler(req, res, 'http://127.0.0.1', request =>
      fake.handle(request),
    ).catch(() => res.destroy());
  });
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => resolve(server)),
  );
}

/** A TCP proxy that can make every connection open now go silent without closing it. */
function halfOpenableProxy(target: number): Promise<{
  port: number;
  freeze: () => void;
  close: () => void;
}> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  const frozen = new WeakSet<net.Socket>();
  const server = net.createServer(client => {
    const upstream = net.connect(target, '127.0.0.1');
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    client.on('data', c => !frozen.has(client) && upstream.write(c));
    upstream.on('data', c => !frozen.has(upstream) && client.write(c));
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const s of pair) {
      s.on('error', end);
      s.on('close', () => !frozen.has(s) && end());
    }
  });
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        freeze: () => {
          for (const [a, b] of pairs) {
            frozen.add(a);
            frozen.add(b);
          }
        },
        close: () => {
          for (const [a, b] of pairs) {
            a.destroy();
            b.destroy();
          }
          server.close();
        },
      }),
    ),
  );
}

/** The baseline plugin's source at `commit`, runnable here (its imports resolve to ours). */
function extractBaseline(commit: string): string {
  const repo = execFileSync('git', ['rev-parse', '--show-toplevel'], {
    encoding: 'utf8',
  }).trim();
  const sha = execFileSync('git', ['rev-parse', '--short', commit], {
    cwd: repo,
    encoding: 'utf8',
  }).trim();
  const dir = path.join(os.tmpdir(), `kupe-gitops-baseline-${sha}`);
  if (!fs.existsSync(path.join(dir, 'plugins/gitops-backend/src/index.ts'))) {
    fs.mkdirSync(dir, { recursive: true });
    const archive = execFileSync(
      'git',
      ['archive', sha, 'plugins/gitops-backend/src'],
      { cwd: repo, maxBuffer: 256 * 1024 * 1024 },
    );
    execFileSync('tar', ['-x', '-C', dir], { input: archive });
  }
  const modules = path.join(dir, 'node_modules');
  if (!fs.existsSync(modules))
    fs.symlinkSync(path.join(repo, 'node_modules'), modules);
  return path.join(dir, 'plugins/gitops-backend/src');
}

function spawnChild(pluginPath: string, url: string): ChildProcess {
  return spawn(
    process.execPath,
    [
      ...process.execArgv,
      // benchmark.ts dispatches `--churn-child` here.
      path.resolve(__dirname, 'benchmark.ts'),
      '--churn-child',
      '--plugin',
      pluginPath,
      '--url',
      url,
    ],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
}

function next<T extends FromChild['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<FromChild, { type: T }>> {
  return new Promise((resolve, reject) => {
    const listeners: {
      message?: (message: FromChild) => void;
      exit?: (code: number | null) => void;
    } = {};
    const done = () => {
      child.off('message', listeners.message!);
      child.off('exit', listeners.exit!);
    };
    listeners.message = message => {
      if (message.type !== type) return;
      done();
      resolve(message as Extract<FromChild, { type: T }>);
    };
    listeners.exit = code => {
      done();
      reject(new Error(`backend exited with ${code} waiting for ${type}`));
    };
    child.on('message', listeners.message);
    child.on('exit', listeners.exit);
  });
}

function getJson(port: number, urlPath: string, user: string): Promise<any> {
  return new Promise((resolve, reject) => {
    http
      .get(
        {
          host: '127.0.0.1',
          port,
          path: urlPath,
          headers: { authorization: mockCredentials.user.header(user) },
        },
        res => {
          let body = '';
          res.on('error', reject);
          res.setEncoding('utf8');
          res.on('data', c => {
            body += c;
          });
          res.on('end', () => {
            try {
              resolve(JSON.parse(body));
            } catch (e) {
              reject(e);
            }
          });
        },
      )
      .on('error', reject);
  });
}

/** Opens an entity's event stream; counts its `applications` events. */
async function openStream(port: number, entityRef: string, user: string) {
  const counter = { events: 0 };
  const req = http.get({
    host: '127.0.0.1',
    port,
    path: `/api/gitops/events?entityRef=${encodeURIComponent(entityRef)}`,
    headers: {
      authorization: mockCredentials.user.header(user),
      accept: 'text/event-stream',
    },
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
    buffer += chunk;
    for (
      let end = buffer.indexOf('\n\n');
      end >= 0;
      end = buffer.indexOf('\n\n')
    ) {
      if (buffer.startsWith('event: applications')) counter.events += 1;
      buffer = buffer.slice(end + 2);
    }
  });
  return { counter, close: () => req.destroy() };
}

async function startBackend(
  pluginPath: string,
  url: string,
  components: Component[],
) {
  const child = spawnChild(pluginPath, url);
  child.send({ type: 'setup', components } satisfies ToChild);
  const { port } = await next(child, 'started');
  const cpu = async () => {
    child.send({ type: 'cpu' } satisfies ToChild);
    return next(child, 'cpu');
  };
  const stop = async () => {
    child.send({ type: 'stop' } satisfies ToChild);
    await new Promise(r => child.once('exit', r));
  };
  return { port, cpu, stop };
}

interface ChurnFigures {
  label: string;
  cpuShare: number;
  permissionCallsPerMin: number;
  pushesPerMin: number;
  eventsPerSecond: number;
}

async function churnMain() {
  const apps = arg('apps', 10_000);
  const streamCount = arg('streams', 500);
  const reconcileS = arg('reconcile-s', 180);
  const measureS = arg('measure-s', 45);
  const changesPerMin = arg('changes-per-min', 30);
  const baseline = extractBaseline(
    stringArg('baseline-commit', DEFAULT_BASELINE_COMMIT),
  );

  const fake = new ArgoCdFake({
    controller: new SimpleController(),
    reconcile: { intervalMs: reconcileS * 1000, jitterMs: 0 },
  });
  const components = seed(fake, apps);
  const server = await serve(fake);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const watched = components
    .filter(
      (_, i) =>
        i % Math.max(1, Math.floor(components.length / streamCount)) === 0,
    )
    .slice(0, streamCount);
  const appNames = fake.listApplications().map(a => a.metadata.name!);

  const figures: ChurnFigures[] = [];
  for (const [label, pluginPath] of [
    ['before (every event wakes every stream)', baseline],
    ['now', path.resolve(__dirname, '../src')],
  ] as const) {
    const backend = await startBackend(pluginPath, url, components);
    // The first view waits for the index's listing.
    const first = await getJson(
      backend.port,
      `/api/gitops/entities/default/component/${watched[0].name}/applications`,
      userOf(watched[0].tenant),
    );
    if (!first.items?.length)
      throw new Error(`first view shows no apps: ${JSON.stringify(first)}`);
    const streams = [];
    for (const c of watched) {
      streams.push(
        await openStream(
          backend.port,
          `component:default/${c.name}`,
          userOf(c.tenant),
        ),
      );
    }
    // Settle: every stream has sent its first state.
    const settleUntil = Date.now() + 30_000;
    while (
      streams.some(s => s.counter.events === 0) &&
      Date.now() < settleUntil
    )
      await sleep(100);
    await sleep(2_000);

    // Real changes at a steady rate, on random apps (most of them without an open stream).
    let changeIndex = 0;
    const changer = setInterval(() => {
      const name = appNames[(changeIndex * 7919) % appNames.length];
      changeIndex += 1;
      fake.updateApplication(name, app => {
        const health =
          app.status?.health?.status === 'Healthy' ? 'Progressing' : 'Healthy';
        app.status = { ...app.status, health: { status: health } };
      });
    }, 60_000 / Math.max(1, changesPerMin));

    const pushesBefore = streams.reduce((n, s) => n + s.counter.events, 0);
    const cpu0 = await backend.cpu();
    const eventsBefore = reconcileCount(fake);
    await sleep(measureS * 1000);
    const cpu1 = await backend.cpu();
    const eventsAfter = reconcileCount(fake);
    clearInterval(changer);
    const pushes =
      streams.reduce((n, s) => n + s.counter.events, 0) - pushesBefore;
    const minutes = (cpu1.at - cpu0.at) / 60_000;
    figures.push({
      label,
      cpuShare: (cpu1.cpuMs - cpu0.cpuMs) / (cpu1.at - cpu0.at),
      permissionCallsPerMin:
        (cpu1.permissionCalls - cpu0.permissionCalls) / minutes,
      pushesPerMin: pushes / minutes,
      eventsPerSecond: (eventsAfter - eventsBefore) / (minutes * 60),
    });
    for (const s of streams) s.close();
    await backend.stop();
  }
  fake.close();
  server.close();

  const load = os
    .loadavg()
    .map(l => l.toFixed(2))
    .join(' ');
  process.stdout.write(
    `\nChurn: ${apps} apps reconciled every ${reconcileS} s, ${watched.length} open event streams, ${changesPerMin} real changes/min, ${measureS} s measured per row\n` +
      `machine: ${os.cpus().length} cores (${
        os.cpus()[0]?.model
      }), load average ${load}\n\n` +
      '| backend | reconcile events/s | backend CPU (share of one core) | permission calls/min | pushes/min |\n' +
      '|---|---|---|---|---|\n',
  );
  for (const f of figures) {
    process.stdout.write(
      `| ${f.label} | ${f.eventsPerSecond.toFixed(1)} | ${(
        f.cpuShare * 100
      ).toFixed(1)} % | ${Math.round(
        f.permissionCallsPerMin,
      )} | ${f.pushesPerMin.toFixed(1)} |\n`,
    );
  }
}

/** Reconciles done so far, read off the apps' reconciledAt stamps moving. */
const stamps = new Map<string, string | undefined>();
let reconciles = 0;
function reconcileCount(fake: ArgoCdFake): number {
  for (const app of fake.listApplications()) {
    const key = app.metadata.name!;
    const at = app.status?.reconciledAt;
    if (stamps.has(key) && stamps.get(key) !== at) reconciles += 1;
    stamps.set(key, at);
  }
  return reconciles;
}

// ------------------------------------------------------------------ staleness

async function stalenessMain() {
  process.on('uncaughtException', error => {
    process.stderr.write(`ignored: ${error?.stack ?? error}\n`);
  });
  const apps = arg('apps', 10_000);
  const trials = arg('trials', 3);
  const fake = new ArgoCdFake({ controller: new SimpleController() });
  const components = seed(fake, apps);
  const server = await serve(fake);
  const proxy = await halfOpenableProxy((server.address() as AddressInfo).port);
  const backend = await startBackend(
    path.resolve(__dirname, '../src'),
    `http://127.0.0.1:${proxy.port}`,
    components,
  );
  const target = components[0];
  const view = (): Promise<any> =>
    getJson(
      backend.port,
      `/api/gitops/entities/default/component/${target.name}/applications`,
      userOf(target.tenant),
    );
  await view();
  const appName = `${target.name}-dev`;
  const results: Array<{ kind: string; rightMs: number; notLiveMs?: number }> =
    [];

  const measure = async (kind: string, change: () => void) => {
    const before = fake.getApplication(appName)!.status!.health!.status;
    const wanted = before === 'Healthy' ? 'Degraded' : 'Healthy';
    change();
    fake.updateApplication(appName, app => {
      app.status = { ...app.status, health: { status: wanted } };
    });
    const t0 = Date.now();
    let notLiveMs: number | undefined;
    for (;;) {
      // A view that fails (the backend busy re-listing) counts as not right yet.
      const body = await view().catch(() => ({}));
      const item = body.items?.find(
        (i: { name: string }) => i.name === appName,
      );
      const elapsed = Date.now() - t0;
      if (notLiveMs === undefined && item && (item.stale || item.ageMs > 0))
        notLiveMs = elapsed;
      if (item?.health?.status === wanted) {
        results.push({ kind, rightMs: elapsed, notLiveMs });
        return;
      }
      if (elapsed > 120_000) throw new Error(`${kind}: not repaired in 120 s`);
      await sleep(250);
    }
  };

  for (let t = 0; t < trials; t++) {
    // Random phase against the backend's check timer.
    await sleep(2_000 + ((t * 7_919) % 17_000));
    await measure('dropped event', () => {
      // A burst larger than the stream's 1000-event buffer before the change: the
      // change is dropped, as it is when Argo CD's controller restarts and rewrites all.
      for (const app of fake.listApplications().slice(0, 1_200)) {
        fake.updateApplication(app.metadata.name!, a => {
          a.status = {
            ...a.status,
            reconciledAt: `2026-02-0${1 + (t % 9)}T00:00:00Z`,
          };
        });
      }
    });
    process.stdout.write(
      `  dropped event, trial ${t + 1}: ${JSON.stringify(results.at(-1))}\n`,
    );
  }
  for (let t = 0; t < trials; t++) {
    await sleep(2_000 + ((t * 7_919) % 17_000));
    await measure('half-open stream', () => proxy.freeze());
    process.stdout.write(
      `  half-open stream, trial ${t + 1}: ${JSON.stringify(results.at(-1))}\n`,
    );
  }
  const dropped = fake.droppedWatchEvents;
  await backend.stop();
  proxy.close();
  fake.close();
  server.close();

  const load = os
    .loadavg()
    .map(l => l.toFixed(2))
    .join(' ');
  process.stdout.write(
    `\nStaleness: ${apps} apps, default liveness check (20 s, confirm 3 s), ${trials} trials each, ${dropped} watch events dropped by the fake\n` +
      `machine: ${os.cpus().length} cores, load average ${load}\n\n` +
      '| case | worst time until the view is right | mean |\n|---|---|---|\n',
  );
  for (const kind of ['dropped event', 'half-open stream']) {
    const rows = results.filter(r => r.kind === kind);
    const worst = Math.max(...rows.map(r => r.rightMs));
    const mean = rows.reduce((n, r) => n + r.rightMs, 0) / rows.length;
    process.stdout.write(
      `| ${kind} | ${(worst / 1000).toFixed(1)} s | ${(mean / 1000).toFixed(
        1,
      )} s |\n`,
    );
  }
}

// ------------------------------------------------------------------ child: a backend

async function runChild() {
  const pluginPath = stringArg('plugin');
  const url = stringArg('url');
  const { components } = await new Promise<Extract<ToChild, { type: 'setup' }>>(
    resolve => process.once('message', resolve as (m: unknown) => void),
  );
  const entities: Entity[] = [];
  for (const tenant of new Set(components.map(c => c.tenant))) {
    entities.push(buildGroup(`${tenant}-team`, { tenant }));
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
  let permissionCalls = 0;
  const allow = async (requests: unknown[]) => {
    permissionCalls += 1;
    return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const plugin = require(pluginPath).default;
  const backend = await startTestBackend({
    features: [
      plugin,
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () =>
          ({
            getEntityByRef: async (ref: Parameters<typeof lookup>[0]) =>
              lookup(ref),
            getEntitiesByRefs: async (request: { entityRefs: string[] }) => ({
              items: request.entityRefs.map(ref => lookup(ref)),
            }),
          } as any),
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
      createServiceFactory({
        service: coreServices.permissions,
        deps: {},
        factory: () =>
          ({
            authorize: allow,
            authorizeConditional: allow,
          } as any),
      }),
      mockServices.rootConfig.factory({
        data: {
          gitops: {
            instances: [
              {
                name: 'main',
                url,
                token: ArgoCdFake.adminToken,
                timeoutMs: 15_000,
              },
            ],
            tenancy: { trustedOrigins: [TEST_IDENTITY_ORIGIN] },
            backend: { index: { readyTimeoutMs: 120_000 } },
          },
        },
      }),
    ],
  });
  const port = (backend.server.address() as AddressInfo).port;
  process.send!({ type: 'started', port } satisfies FromChild);
  process.on('message', async (message: ToChild) => {
    if (message.type === 'cpu') {
      const usage = process.cpuUsage();
      process.send!({
        type: 'cpu',
        cpuMs: (usage.user + usage.system) / 1000,
        permissionCalls,
        at: Date.now(),
      } satisfies FromChild);
    }
    if (message.type === 'stop') {
      await backend.stop();
      process.exit(0);
    }
  });
}

export function churnEntry(): Promise<void> | undefined {
  if (process.argv.includes('--churn-child')) return runChild();
  if (process.argv.includes('--churn')) return churnMain();
  if (process.argv.includes('--staleness')) return stalenessMain();
  return undefined;
}
