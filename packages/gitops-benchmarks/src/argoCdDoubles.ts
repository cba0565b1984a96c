import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { seedScale } from '@kupe/gitops-sandbox';
import { KUBERNETES_ID_LABEL, TENANT_LABEL } from '@kupe/plugin-gitops-common';
import {
  ArgoCdFake,
  DEFAULT_RECONCILE_INTERVAL_MS,
  DEFAULT_RECONCILE_JITTER_MS,
  ReconcileClock,
  serveFetchHandler,
} from '@kupe/plugin-gitops-node-test-utils';
import {
  type GitRepositoriesAt,
  startGitHost,
  useRepositoryHistory,
  writeRepositories,
} from './gitRepositories';
import {
  type ArgoCdDoubles,
  type Component,
  type DoubleOptions,
  type DoublesOptions,
  type UpstreamCounts,
  type UpstreamKind,
  emptyCounts,
  processCpuMs,
  settledMemory,
} from './types';

/**
 * A clock that runs `factor` times faster than real time from the moment the factor is set;
 * the reconcile period of the doubles is read on it, so compressing time for the open-portal
 * hour compresses Argo CD's resync exactly as every other interval of the run.
 */
export class SimulatedClock {
  #realBase = Date.now();
  #simBase = Date.now();
  #factor = 1;

  nowMs(): number {
    return this.#simBase + (Date.now() - this.#realBase) * this.#factor;
  }

  get factor(): number {
    return this.#factor;
  }

  setFactor(factor: number): void {
    this.#simBase = this.nowMs();
    this.#realBase = Date.now();
    this.#factor = factor;
  }
}

/**
 * Keeps the fake's name-sorted application keys between additions and removals. The fake sorts
 * every application with `localeCompare` on each list request (about 100 ms at 10,000 apps on
 * this machine), where Argo CD filters its informer cache; left as is, every selector listing
 * of the peers would measure the double's sort, not the plugins. The order only changes when
 * an application is added or removed, so reconciles (which replace an app) keep it, and the
 * list is built from the current objects on every request: answers are unchanged.
 */
function keepSortedApplicationList(fake: ArgoCdFake): void {
  const sortedList = fake.listApplications.bind(fake);
  const cache: { keys?: Array<[string, string]> } = {};
  const put = fake.putApplication.bind(fake);
  fake.putApplication = app => {
    const name = app.metadata.name ?? '';
    const namespace = app.metadata.namespace || 'argocd';
    if (!fake.getApplication(name, namespace)) cache.keys = undefined;
    return put(app);
  };
  const remove = fake.removeApplication.bind(fake);
  fake.removeApplication = key => {
    cache.keys = undefined;
    return remove(key);
  };
  // updateApplication replaces an existing app and never adds one: the order holds.
  fake.listApplications = () => {
    cache.keys ??= sortedList().map(a => [
      a.metadata.name ?? '',
      a.metadata.namespace ?? 'argocd',
    ]);
    return cache.keys
      .map(([name, namespace]) => fake.getApplication(name, namespace))
      .filter((a): a is NonNullable<typeof a> => !!a);
  };
}

/** Which kind of Argo CD request a path is, for the per-kind upstream figures. */
export function upstreamKindOf(method: string, path: string): UpstreamKind {
  if (method !== 'GET') return 'other';
  if (path === '/api/v1/applications') return 'list';
  if (path === '/api/v1/stream/applications') return 'watch';
  if (/^\/api\/v1\/applications\/[^/]+\/revisions\/[^/]+\/metadata$/.test(path))
    return 'revisionMetadata';
  if (/^\/api\/v1\/applications\/[^/]+\/?$/.test(path)) return 'get';
  return 'other';
}

/**
 * Counts every request and every response byte (bodies, streams included, as they are
 * written) of a fake, by kind.
 */
function countTraffic(fake: ArgoCdFake, counts: { current: UpstreamCounts }) {
  const handle = fake.handle.bind(fake);
  fake.handle = async (request: Request) => {
    const kind = upstreamKindOf(
      request.method,
      new URL(request.url).pathname.replace(/\/$/, '') || '/',
    );
    const add = (requests: number, bytes: number) => {
      const c = counts.current;
      c.requests += requests;
      c.bytes += bytes;
      c.byKind[kind].requests += requests;
      c.byKind[kind].bytes += bytes;
    };
    add(1, 0);
    const response = await handle(request);
    // The fake keeps a record of every request; the counts above replace it here.
    fake.clearRequests();
    if (!response.body) return response;
    // Pulled one chunk per read of the server, not piped: a pipe reads ahead of the socket,
    // so a watch's initial burst would be produced whole in one chain of microtasks that
    // starves the double's event loop (keepalives, other requests) until it is done.
    const reader = response.body.getReader();
    const counted = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          const { value, done } = await reader.read();
          if (done) {
            controller.close();
            return;
          }
          add(0, value.byteLength);
          controller.enqueue(value);
        },
        cancel: reason => reader.cancel(reason),
      },
      { highWaterMark: 0 },
    );
    return new Response(counted, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/** The components the seed labelled, with their applications per instance. */
function componentsOf(fake: ArgoCdFake): Component[] {
  const components = new Map<string, Component>();
  for (const app of fake.listApplications()) {
    const labels = app.metadata.labels ?? {};
    const name = labels[KUBERNETES_ID_LABEL];
    const tenant = labels[TENANT_LABEL];
    if (!name || !tenant) continue;
    const component = components.get(name) ?? {
      name,
      tenant,
      appsPerInstance: 0,
    };
    component.appsPerInstance++;
    components.set(name, component);
  }
  return [...components.values()];
}

/**
 * One contract-true Argo CD double: the `ArgoCdFake` seeded as the sandbox's scale mode seeds
 * it (`seedScale`, realistic-size applications unless `realistic: false`), on its own
 * loopback HTTP server with `latencyMs` added to every response, and, with `churn`, Argo CD's
 * periodic reconcile (every app's status rewritten every 120 s plus up to 60 s of jitter, the
 * controller's defaults) on a clock the benchmark can speed up.
 */
export async function startArgoCdDouble(
  options: DoubleOptions,
): Promise<ArgoCdDoubles> {
  const fake = new ArgoCdFake({ latencyMs: options.latencyMs });
  seedScale(fake, {
    applications: options.applications,
    tenants: options.tenants,
    realistic: options.realistic,
    repositoryOrigin: options.git.origin,
  });
  // The first double writes the repositories; every double's apps then name their commits
  // (the doubles seed the same apps).
  if (options.index === 0) await writeRepositories(fake, options.git);
  await useRepositoryHistory(fake, options.git);
  keepSortedApplicationList(fake);
  const clock = new SimulatedClock();
  const counts = { current: emptyCounts() };
  countTraffic(fake, counts);
  const reconciler = options.churn
    ? new ReconcileClock(
        {
          nowMs: () => clock.nowMs(),
          applications: () => fake.listApplications(),
          // A new status object with the new reconciledAt, as persistAppStatus writes it;
          // put (not update) spares the double a deep clone and two serialisations per app.
          stampReconciled: key => {
            const app = fake.getApplication(key.name, key.namespace);
            if (!app) return;
            fake.putApplication({
              ...app,
              status: {
                ...app.status,
                reconciledAt: `${new Date(clock.nowMs())
                  .toISOString()
                  .slice(0, 19)}Z`,
              },
            });
          },
        },
        {
          intervalMs: DEFAULT_RECONCILE_INTERVAL_MS,
          jitterMs: DEFAULT_RECONCILE_JITTER_MS,
          tickMs: 250,
        },
      )
    : undefined;
  reconciler?.start();
  const components = componentsOf(fake);

  const origin = { url: '' };
  const server = http.createServer((req, res) => {
    serveFetchHandler(req, res, origin.url, r => fake.handle(r)).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  // Idle keep-alive connections stay open, as on argocd-server (Go's http.Server without an
  // idle timeout); Node's 5 s default would reset the sockets clients reuse between polls.
  server.keepAliveTimeout = 0;
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  origin.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    instances: [
      {
        name: `argocd-${options.index + 1}`,
        url: origin.url,
        token: ArgoCdFake.adminToken,
      },
    ],
    components,
    async takeCounts() {
      const taken = counts.current;
      counts.current = emptyCounts();
      return [taken];
    },
    async setTimeFactor(factor: number) {
      clock.setFactor(factor);
    },
    async memory() {
      return [settledMemory()];
    },
    async cpuMs() {
      return [processCpuMs()];
    },
    async changeApplication(_instance: string, name: string) {
      let health: 'Healthy' | 'Progressing' = 'Healthy';
      fake.updateApplication(name, app => {
        health =
          app.status?.health?.status === 'Healthy' ? 'Progressing' : 'Healthy';
        app.status = { ...app.status, health: { status: health } };
      });
      return { health, at: Date.now() };
    },
    async stop() {
      reconciler?.stop();
      fake.close();
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    },
  };
}

/** Several doubles seen as one set of instances (each may live in its own process). */
export function combineDoubles(doubles: ArgoCdDoubles[]): ArgoCdDoubles {
  const all = <T>(f: (d: ArgoCdDoubles) => Promise<T[]>) =>
    Promise.all(doubles.map(f)).then(lists => lists.flat());
  return {
    instances: doubles.flatMap(d => d.instances),
    // Every instance holds the same seed, as clusters of several regions would.
    components: doubles[0].components,
    takeCounts: () => all(d => d.takeCounts()),
    setTimeFactor: async factor => {
      await Promise.all(doubles.map(d => d.setTimeFactor(factor)));
    },
    memory: () => all(d => d.memory()),
    cpuMs: () => all(d => d.cpuMs()),
    changeApplication: (instance, name) => {
      const double = doubles.find(d =>
        d.instances.some(i => i.name === instance),
      );
      if (!double) throw new Error(`no Argo CD double named ${instance}`);
      return double.changeApplication(instance, name);
    },
    stop: async () => {
      await Promise.all(doubles.map(d => d.stop()));
    },
  };
}

/**
 * Starts the scenario's Git host (in this process), then the doubles (`start`) whose apps
 * deploy from it; stopping the doubles stops it.
 */
export async function withGitHost(
  start: (git: GitRepositoriesAt) => Promise<ArgoCdDoubles>,
): Promise<ArgoCdDoubles> {
  const host = await startGitHost();
  try {
    const doubles = await start({ origin: host.origin, dataDir: host.dataDir });
    return {
      ...doubles,
      stop: async () => {
        await doubles.stop();
        await host.stop();
      },
    };
  } catch (error) {
    await host.stop();
    throw error;
  }
}

/** One double per instance, all in this process (tests); the benchmark spawns one each. */
export function startArgoCdDoubles(
  options: DoublesOptions,
): Promise<ArgoCdDoubles> {
  return withGitHost(async git => {
    const started: ArgoCdDoubles[] = [];
    try {
      for (let index = 0; index < options.instances; index++) {
        started.push(await startArgoCdDouble({ ...options, index, git }));
      }
    } catch (error) {
      await Promise.all(started.map(d => d.stop()));
      throw error;
    }
    return combineDoubles(started);
  });
}
