import { createServer, type Server } from 'node:http';
import {
  type AddressInfo,
  Socket,
  createServer as createTcpServer,
} from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import { TenantNaming } from '@kupe/plugin-gitops-common';
import { DefaultArgoCdClient } from '@kupe/plugin-gitops-node';
import {
  ArgoCdFake,
  SimpleController,
  buildApplication,
  serveFetchHandler,
} from '@kupe/plugin-gitops-node-test-utils';
import { type IndexChange, InstanceIndex } from './InstanceIndex';

/**
 * A TCP proxy in front of the fake that can turn every open connection half-open: bytes stop
 * flowing both ways but no side sees a close, as when a NAT or load balancer forgets a
 * long-lived connection. New connections work normally.
 */
async function halfOpenableProxy(target: number) {
  const frozen = new Set<Socket>();
  const pairs = new Set<[Socket, Socket]>();
  const server = createTcpServer(client => {
    const upstream = new Socket();
    upstream.connect(target, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const forward = (from: Socket, to: Socket) =>
      from.on('data', chunk => {
        if (!frozen.has(from)) to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', () => {
      if (!frozen.has(upstream)) end();
    });
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    /** Every connection open now goes silent; later ones are not affected. */
    freezeOpenConnections: () => {
      for (const [client, upstream] of pairs) {
        frozen.add(client);
        frozen.add(upstream);
      }
    },
    close: async () => {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise(resolve => server.close(resolve));
    },
  };
}

async function serve(
  fake: ArgoCdFake,
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    void serveFetchHandler(req, res, 'http://127.0.0.1', request =>
      fake.handle(request),
    );
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

async function waitUntil(check: () => boolean, timeoutMs: number) {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) return false;
    await new Promise(r => setTimeout(r, 10));
  }
  return true;
}

/** Counts the liveness checks (listings that skip items) the index starts from now on. */
function countChecks(client: DefaultArgoCdClient): { started: number } {
  const count = { started: 0 };
  const list = client.listApplications.bind(client);
  jest.spyOn(client, 'listApplications').mockImplementation(query => {
    if (query?.skipItem) count.started += 1;
    return list(query);
  });
  return count;
}

const CHECK_MS = 300;
const CONFIRM_MS = 100;
const TIMEOUT_MS = 600;

describe('InstanceIndex knows when it is not live', () => {
  let cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c();
    cleanups = [];
  });

  async function setUp(options: {
    watchBufferSize?: number;
    proxy?: boolean;
    staleAfterMs?: number;
  }) {
    const fake = new ArgoCdFake({
      controller: new SimpleController(),
      watchBufferSize: options.watchBufferSize,
      // Argo CD's 15 s SSE keepalive and the client's 30 s idle watchdog, scaled down.
      sseKeepaliveMs: 200,
    });
    for (let i = 0; i < 5; i++) {
      fake.putApplication(
        buildApplication({
          name: `app${i}`,
          tenant: 'acme',
          component: `c${i}`,
        }),
      );
    }
    const { server, port } = await serve(fake);
    cleanups.push(
      () => new Promise(r => server.close(r)),
      () => fake.close(),
    );
    const proxy = options.proxy ? await halfOpenableProxy(port) : undefined;
    if (proxy) cleanups.push(() => proxy.close());
    const client = new DefaultArgoCdClient({
      name: 'main',
      url: `http://127.0.0.1:${proxy?.port ?? port}`,
      token: ArgoCdFake.adminToken,
      timeoutMs: TIMEOUT_MS,
      watchIdleTimeoutMs: 2 * TIMEOUT_MS,
    });
    const changes: Array<IndexChange | undefined> = [];
    const index = new InstanceIndex({
      client,
      naming: new TenantNaming(),
      options: {
        staleAfterMs: options.staleAfterMs ?? 60_000,
        resyncIntervalMs: 600_000,
        initialBackoffMs: 10,
        maxBackoffMs: 50,
        maxApplicationsPerInstance: 1_000,
        // The checks are listings: a check on a frozen pooled connection ends at this.
        listTimeoutMs: TIMEOUT_MS,
      },
      liveness: { checkIntervalMs: CHECK_MS, confirmMs: CONFIRM_MS },
      logger: mockServices.logger.mock(),
      onChange: (_instance, change) => changes.push(change),
    });
    index.start();
    cleanups.push(() => index.stop());
    expect(await index.whenReady(5_000)).toBe(true);
    // The index serves before Argo CD has re-sent every app (on a watch of its own, closed
    // once every app came); then only the live watch is subscribed.
    expect(
      await waitUntil(
        () =>
          fake
            .listApplications()
            .every(
              app => !index.get('argocd', app.metadata.name!)?.historyPending,
            ) && fake.openStreams === 1,
        5_000,
      ),
    ).toBe(true);
    return { fake, index, proxy, changes, client };
  }

  it('notices an event Argo CD dropped and shows the app right within one check', async () => {
    const { fake, index, client } = await setUp({ watchBufferSize: 2 });
    // A burst: two reconciles fill the stream's buffer, the real change after them is lost.
    for (const name of ['app1', 'app2']) {
      fake.updateApplication(name, a => {
        a.status = { ...a.status, reconciledAt: '2026-02-01T00:00:00Z' };
      });
    }
    const checks = countChecks(client);
    fake.updateApplication('app0', a => {
      a.status!.health = {
        status: 'Degraded',
        lastTransitionTime: '2026-02-01T00:00:00Z',
      };
    });
    expect(fake.droppedWatchEvents).toBe(1);
    // The stream delivered the two reconciles and stays quiet about app0 ...
    await new Promise(r => setTimeout(r, 50));
    expect(index.get('argocd', 'app0')!.healthStatus).toBe('Healthy');
    // ... until the liveness check finds the difference and the index lists again.
    expect(
      await waitUntil(
        () => index.get('argocd', 'app0')!.healthStatus === 'Degraded',
        5_000,
      ),
    ).toBe(true);
    // Within one check: a check lists, and lists once more to confirm a difference, so the
    // first check started after the change (or one in flight) took at most two listings.
    // Counted in listings, not milliseconds, so a loaded machine cannot fail it.
    expect(checks.started).toBeLessThanOrEqual(2);
    expect(index.recoveries).toBe(1);
    expect(index.freshness()).toMatchObject({ stale: false, ageMs: 0 });
  });

  it('does not parse again an app listed as the last check matched it, and still notices one that changed unseen', async () => {
    const { fake, index, client } = await setUp({ watchBufferSize: 2 });
    // Per liveness listing, what its skipItem answered for each app.
    const checks: boolean[][] = [];
    const list = client.listApplications.bind(client);
    jest.spyOn(client, 'listApplications').mockImplementation(query => {
      if (!query?.skipItem) return list(query);
      const answers: boolean[] = [];
      checks.push(answers);
      const skipItem = query.skipItem;
      return list({
        ...query,
        skipItem: json => {
          const skipped = skipItem(json);
          answers.push(skipped);
          return skipped;
        },
      });
    });
    const lastCheck = () => checks[checks.length - 2] ?? [];
    // A check after one that matched recognises all five apps by their listed text.
    expect(
      await waitUntil(() => lastCheck().filter(Boolean).length === 5, 5_000),
    ).toBe(true);

    // An app an event changed since is parsed and compared again (and matches).
    fake.updateApplication('app1', a => {
      a.metadata.labels = { ...a.metadata.labels, tier: 'gold' };
    });
    expect(
      await waitUntil(
        () => index.get('argocd', 'app1')!.labels.tier === 'gold',
        5_000,
      ),
    ).toBe(true);
    const sent = checks.length;
    expect(await waitUntil(() => checks.length >= sent + 2, 5_000)).toBe(true);
    expect(checks[sent].filter(Boolean)).toHaveLength(4);
    expect(index.recoveries).toBe(0);

    // A change whose event is lost changes the app's listed text: compared, found, repaired.
    for (const name of ['app2', 'app3']) {
      fake.updateApplication(name, a => {
        a.status = { ...a.status, reconciledAt: '2026-02-01T00:00:00Z' };
      });
    }
    fake.updateApplication('app0', a => {
      a.status!.health = {
        status: 'Degraded',
        lastTransitionTime: '2026-02-01T00:00:00Z',
      };
    });
    expect(fake.droppedWatchEvents).toBe(1);
    expect(
      await waitUntil(
        () => index.get('argocd', 'app0')!.healthStatus === 'Degraded',
        5_000,
      ),
    ).toBe(true);
    expect(index.recoveries).toBe(1);
  });

  it('notices a half-open stream: the app is right within the bound and the index reconnects', async () => {
    const { fake, index, proxy, client } = await setUp({ proxy: true });
    proxy!.freezeOpenConnections();
    const checks = countChecks(client);
    fake.updateApplication('app3', a => {
      a.status!.sync = { ...a.status!.sync!, status: 'OutOfSync' };
    });
    expect(fake.droppedWatchEvents).toBe(0);
    expect(
      await waitUntil(
        () => index.get('argocd', 'app3')!.syncStatus === 'OutOfSync',
        10_000,
      ),
    ).toBe(true);
    // A check on a frozen pooled connection times out first at worst; the next one, on a
    // new connection, finds the change.
    expect(checks.started).toBeLessThanOrEqual(2);
    // And it goes on from a new connection: later changes arrive, the index is live. (A
    // change the liveness digest leaves out: it arrives by the watch, which the idle
    // watchdog moves off a frozen pooled connection.)
    fake.updateApplication('app4', a => {
      a.metadata.labels = { ...a.metadata.labels, tier: 'gold' };
    });
    expect(
      await waitUntil(
        () => index.get('argocd', 'app4')!.labels.tier === 'gold',
        5_000,
      ),
    ).toBe(true);
    expect(index.freshness()).toMatchObject({ stale: false, ageMs: 0 });
    expect(index.recoveries).toBeGreaterThanOrEqual(1);
  }, 20_000);

  it('reports not live, then stale, while it cannot confirm its data', async () => {
    const { index, proxy, changes } = await setUp({
      proxy: true,
      staleAfterMs: 1_500,
    });
    expect(index.freshness()).toMatchObject({ stale: false, ageMs: 0 });
    // Argo CD becomes a black hole: connections open now and later carry nothing.
    const freeze = setInterval(() => proxy!.freezeOpenConnections(), 2);
    cleanups.push(() => clearInterval(freeze));
    expect(await waitUntil(() => index.freshness().ageMs > 0, 5_000)).toBe(
      true,
    );
    changes.length = 0;
    // Stale once staleAfterMs has passed since the last confirmation, never before; the
    // wait's bound only stops a broken index from hanging the test (this checks the rule,
    // not the speed: a loaded CI machine was seen 1.8 s late).
    expect(await waitUntil(() => index.freshness().stale, 10_000)).toBe(true);
    expect(index.freshness().ageMs).toBeGreaterThanOrEqual(1_500);
    // And listeners were told, so open pages hear it without asking.
    expect(await waitUntil(() => changes.includes(undefined), 5_000)).toBe(
      true,
    );
  });

  it('lets reconcile churn through without telling anyone and without false recoveries', async () => {
    const { fake, index, changes } = await setUp({});
    changes.length = 0;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 5; i++) {
        fake.updateApplication(`app${i}`, a => {
          a.status = {
            ...a.status,
            reconciledAt: `2026-02-01T00:00:0${round}Z`,
          };
        });
      }
      await new Promise(r => setTimeout(r, CHECK_MS / 2));
    }
    expect(changes).toEqual([]);
    fake.updateApplication('app2', a => {
      a.status!.health = { status: 'Progressing' };
    });
    expect(await waitUntil(() => changes.length > 0, 2_000)).toBe(true);
    expect(changes).toHaveLength(1);
    expect(changes[0]!.apps.map(a => [a.name, a.healthStatus])).toEqual([
      ['app2', 'Healthy'],
      ['app2', 'Progressing'],
    ]);
    await new Promise(r => setTimeout(r, CHECK_MS * 2));
    expect(index.recoveries).toBe(0);
  });
});
