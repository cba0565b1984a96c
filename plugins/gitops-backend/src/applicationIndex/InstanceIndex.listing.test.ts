import {
  type IncomingMessage,
  type ServerResponse,
  createServer,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import { TenantNaming } from '@kupe/plugin-gitops-common';
import {
  type Application,
  DefaultArgoCdClient,
} from '@kupe/plugin-gitops-node';
import {
  ArgoCdFake,
  SimpleController,
  buildApplication,
  serveFetchHandler,
} from '@kupe/plugin-gitops-node-test-utils';
import { toIndexedApplication } from './IndexedApplication';
import {
  INDEX_LIST_FIELDS,
  INDEX_RESEND_FIELDS,
  INDEX_WATCH_FIELDS,
} from './indexListing';
import { InstanceIndex } from './InstanceIndex';
import type { InstanceIndexOptions } from './instanceIndexTypes';

// The `fields=` whitelist of ApplicationService.List in Argo CD v3.5.1
// (pkg/apiclient/application/forwarder_overwrite.go, appFields): any other path is dropped.
const ARGOCD_LIST_WHITELIST = new Set(
  [
    'metadata.name',
    'metadata.namespace',
    'metadata.annotations',
    'metadata.labels',
    'metadata.creationTimestamp',
    'metadata.deletionTimestamp',
    'spec',
    'spec.destination',
    'spec.project',
    'spec.source',
    'spec.sources',
    'spec.sourceHydrator',
    'spec.syncPolicy',
    'status.sourceHydrator',
    'status.summary',
    'status.sync.status',
    'status.sync.revision',
    'status.health',
    'status.operationState.startedAt',
    'status.operationState.finishedAt',
    'status.resources',
    'operation.sync',
    'status.operationState.phase',
    'status.operationState.operation.sync',
  ].map(field => `items.${field}`),
);

let cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise(resolve => server.close(resolve));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function startIndex(
  url: string,
  options: Partial<InstanceIndexOptions['options']> & { timeoutMs?: number },
) {
  const { timeoutMs, ...indexOptions } = options;
  const client = new DefaultArgoCdClient({
    name: 'main',
    url,
    token: ArgoCdFake.adminToken,
    timeoutMs: timeoutMs ?? 5_000,
  });
  const changes: Array<string[] | undefined> = [];
  const index = new InstanceIndex({
    client,
    naming: new TenantNaming(),
    options: {
      staleAfterMs: 60_000,
      resyncIntervalMs: 600_000,
      initialBackoffMs: 10_000,
      maxBackoffMs: 10_000,
      maxApplicationsPerInstance: 1_000,
      ...indexOptions,
    },
    liveness: { checkIntervalMs: 60_000 },
    logger: mockServices.logger.mock(),
    onChange: (_instance, change) =>
      changes.push(change?.apps.map(app => app.name)),
  });
  index.start();
  cleanups.push(() => index.stop());
  return { index, changes };
}

async function waitUntil(check: () => boolean, timeoutMs = 5_000) {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('waited too long');
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}

describe('InstanceIndex listing', () => {
  it('lists lean on Argo CD’s whitelist, completes the first records from the watch’s ADDED events and carries over what fields= cannot hold', async () => {
    const fake = new ArgoCdFake({ controller: new SimpleController() });
    fake.putApplication(
      buildApplication({ name: 'web', tenant: 'acme', realistic: true }),
    );
    fake.putApplication(
      buildApplication({
        name: 'api',
        tenant: 'acme',
        health: 'Degraded',
        realistic: true,
      }),
    );
    // A chart plus its values from Git: what runs of each source comes from history or
    // status.sync.revisions, neither of which a lean listing carries.
    fake.putApplication(
      buildApplication({
        name: 'worker',
        tenant: 'acme',
        sources: [
          {
            repoURL: 'https://charts.example.com/stable',
            chart: 'worker',
            targetRevision: '2.4.1',
            helm: { valueFiles: ['$values/apps/worker/values.yaml'] },
          },
          {
            repoURL: 'https://git.example.com/acme/gitops.git',
            targetRevision: 'main',
            ref: 'values',
          },
        ],
        revisions: ['2.4.1', 'a'.repeat(40)],
      }),
    );
    const url = await listen((req, res) => {
      void serveFetchHandler(req, res, 'http://127.0.0.1', request =>
        fake.handle(request),
      );
    });
    cleanups.push(() => fake.close());
    const { index, changes } = startIndex(url, { resyncIntervalMs: 1_500 });
    expect(await index.whenReady(5_000)).toBe(true);

    // The first listing is lean too; `fields=` cannot carry history, so beside its live
    // watch (from the listing's resourceVersion) the index opens a second one without, on
    // which Argo CD re-sends every app (with the watch's projection, history included);
    // until then the records say their history is pending.
    await waitUntil(() => !index.list().some(record => record.historyPending));
    const whole = (name: string) =>
      toIndexedApplication(
        'main',
        fake.getApplication(name, 'argocd') as Application,
        new TenantNaming(),
        'argocd',
        undefined,
        new Date(),
      );
    const listings = () =>
      fake.requests.filter(
        r => r.method === 'GET' && r.path === '/api/v1/applications',
      );
    expect(listings()).toHaveLength(1);
    expect(listings()[0].query.get('fields')!.split(',')).toEqual([
      ...INDEX_LIST_FIELDS,
    ]);
    const watches = () =>
      fake.requests.filter(r => r.path === '/api/v1/stream/applications');
    expect(watches()).toHaveLength(2);
    expect(watches()[0].query.get('resourceVersion')).toBeTruthy();
    expect(watches()[1].query.has('resourceVersion')).toBe(false);
    expect(watches()[1].query.get('fields')!.split(',')).toEqual([
      ...INDEX_RESEND_FIELDS,
    ]);
    expect(index.get('argocd', 'web')).toEqual(whole('web'));
    expect(whole('web').deployedRevision).toBeDefined();
    // The re-send leaves the resources out (and the summary, which the listing brought): a
    // Degraded app's Degraded resources come with its first event on the live watch, its
    // next reconcile at the latest, which Argo CD's forwarder sends whole on a stream that
    // has not sent the app before.
    expect(whole('api').degradedResources!.length).toBeGreaterThan(0);
    expect(index.get('argocd', 'api')).toEqual({
      ...whole('api'),
      degradedResources: [],
    });
    fake.updateApplication('api', app => {
      app.status = { ...app.status, reconciledAt: '2026-01-31T00:00:00Z' };
    });
    await waitUntil(
      () => (index.get('argocd', 'api')?.degradedResources?.length ?? 0) > 0,
    );
    expect(index.get('argocd', 'api')).toEqual(whole('api'));
    expect(whole('worker').deployedRevisions).toEqual([
      '2.4.1',
      'a'.repeat(40),
    ]);

    // A resync lists lean, on Argo CD's whitelist, and carries over what fields= cannot
    // hold (history, the operation's message, the sync result): nothing changes.
    changes.length = 0;
    await waitUntil(() => listings().length >= 2);
    const sent = listings()[1].query.get('fields')!.split(',');
    expect(sent).toEqual([...INDEX_LIST_FIELDS]);
    expect(sent.filter(field => !ARGOCD_LIST_WHITELIST.has(field))).toEqual([]);
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(index.get('argocd', 'web')).toEqual(whole('web'));
    expect(index.get('argocd', 'api')).toEqual(whole('api'));
    expect(index.get('argocd', 'worker')).toEqual(whole('worker'));
    expect(changes.filter(change => change !== undefined)).toEqual([]);

    // The relist ran beside the live watch, which went on: a new watch would lose the
    // events between the listing and its start, and Argo CD's forwarder would send every app
    // again on it. The watch asks for the index's projection (history included, the sync
    // result's per-resource entries not): a sync's event builds the same record as the
    // whole app, and the next lean relist keeps it.
    expect(watches()).toHaveLength(2);
    for (const watch of watches())
      expect(watch.query.get('fields')!.split(',')).toEqual(
        watch.query.has('resourceVersion')
          ? [...INDEX_WATCH_FIELDS]
          : [...INDEX_RESEND_FIELDS],
      );
    fake.updateApplication('web', app => {
      const finishedAt = '2026-02-01T00:00:00Z';
      const revision = 'f'.repeat(40);
      app.status = {
        ...app.status,
        history: [
          ...(app.status?.history ?? []),
          {
            id: 99,
            revision,
            deployedAt: finishedAt,
            source: app.spec.source!,
          },
        ],
        operationState: {
          ...app.status!.operationState!,
          phase: 'Succeeded',
          message: 'successfully synced (all tasks run)',
          startedAt: '2026-01-31T23:59:50Z',
          finishedAt,
          syncResult: {
            ...app.status!.operationState!.syncResult!,
            revision,
          },
        },
        sync: { ...app.status!.sync!, revision },
      };
    });
    fake.updateApplication('api', app => {
      app.status = { ...app.status, reconciledAt: '2026-02-01T00:00:00Z' };
    });
    await waitUntil(
      () => index.get('argocd', 'web')?.deployedRevision === 'f'.repeat(40),
    );
    expect(index.get('argocd', 'web')).toEqual(whole('web'));
    expect(index.get('argocd', 'api')).toEqual(whole('api'));

    // A resync lists lean again and keeps what the events brought: nothing changed.
    changes.length = 0;
    const relists = listings().length;
    await waitUntil(() => listings().length > relists);
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(index.get('argocd', 'web')).toEqual(whole('web'));
    expect(index.get('argocd', 'api')).toEqual(whole('api'));
    expect(changes.filter(change => change !== undefined)).toEqual([]);
  }, 20_000);

  it('relists beside the live watch: what an event changed, added or deleted while the listing was on its way stays as the event made it', async () => {
    const fake = new ArgoCdFake({ controller: new SimpleController() });
    for (const name of ['web', 'api', 'worker'])
      fake.putApplication(buildApplication({ name, tenant: 'acme' }));
    let relisting: (() => void) | undefined;
    let listed = 0;
    const url = await listen((req, res) => {
      void serveFetchHandler(req, res, 'http://127.0.0.1', async request => {
        // The listing's snapshot is taken now; its answer is held until the test lets it go.
        const response = await fake.handle(request);
        const path = new URL(request.url).pathname;
        if (path === '/api/v1/applications' && ++listed === 2)
          await new Promise<void>(resolve => {
            relisting = resolve;
          });
        return response;
      });
    });
    cleanups.push(() => fake.close());
    const { index, changes } = startIndex(url, { resyncIntervalMs: 300 });
    expect(await index.whenReady(5_000)).toBe(true);
    await waitUntil(() => !index.list().some(record => record.historyPending));
    await waitUntil(() => relisting !== undefined);

    // While the relist's answer (taken before these) is on its way, the watch brings them.
    fake.updateApplication('web', app => {
      app.status = { ...app.status, health: { status: 'Degraded' } };
    });
    fake.removeApplication('api');
    fake.putApplication(buildApplication({ name: 'db', tenant: 'acme' }));
    await waitUntil(
      () =>
        index.get('argocd', 'web')?.healthStatus === 'Degraded' &&
        !index.get('argocd', 'api') &&
        !!index.get('argocd', 'db'),
    );
    changes.length = 0;
    relisting!();
    const watches = () =>
      fake.requests.filter(r => r.path === '/api/v1/stream/applications');
    await waitUntil(() => listed >= 3);
    expect(index.get('argocd', 'web')?.healthStatus).toBe('Degraded');
    expect(index.get('argocd', 'api')).toBeUndefined();
    expect(index.get('argocd', 'db')).toBeDefined();
    expect(
      index
        .list()
        .map(record => record.name)
        .sort(),
    ).toEqual(['db', 'web', 'worker']);
    // Listeners heard of those from the events, not again from the listing.
    expect(changes.filter(change => change !== undefined)).toEqual([]);
    // One live watch and the start's re-send: no watch was opened for the relists.
    expect(watches()).toHaveLength(2);
  });

  it("gives the listing its own timeout, longer than a request's, and reports when it runs out", async () => {
    const app = buildApplication({ name: 'web', tenant: 'acme' });
    const url = await listen((req, res) => {
      if (req.url?.startsWith('/api/v1/applications')) {
        setTimeout(() => {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(
            JSON.stringify({
              metadata: { resourceVersion: '1' },
              items: [app],
            }),
          );
        }, 400);
        return;
      }
      // The watch, without a resourceVersion: every app as ADDED first, headers with it
      // (as Argo CD's gateway writes them), then nothing.
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write(
        `data: ${JSON.stringify({
          result: { type: 'ADDED', application: app },
        })}\n\n`,
      );
    });
    const slow = startIndex(url, { timeoutMs: 100, listTimeoutMs: 5_000 });
    expect(await slow.index.whenReady(5_000)).toBe(true);
    expect(slow.index.get('argocd', 'web')?.name).toBe('web');

    const cut = startIndex(url, { timeoutMs: 5_000, listTimeoutMs: 150 });
    expect(await cut.index.whenReady(5_000)).toBe(false);
    expect(cut.index.freshness()).toMatchObject({
      loaded: false,
      error: 'Argo CD main timed out after 150 ms',
    });
  });

  it('stops at once while a listing is in flight, closes its connection and sends nothing more', async () => {
    let listings = 0;
    let closed = 0;
    const url = await listen((req, res) => {
      listings += 1;
      req.socket.once('close', () => {
        closed += 1;
      });
      // Half of a large body, then nothing: the listing is mid-transfer.
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"metadata":{"resourceVersion":"1"},"items":[{"metadata":');
    });
    const { index } = startIndex(url, { listTimeoutMs: 60_000 });
    await waitUntil(() => listings === 1);
    const waiting = index.whenReady(30_000);
    const stopping = Date.now();
    await index.stop();
    // At once, not after the listing's 60 s timeout (the bound is slack for a loaded machine).
    expect(Date.now() - stopping).toBeLessThan(10_000);
    await expect(waiting).resolves.toBe(false);
    await waitUntil(() => closed === 1);
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(listings).toBe(1);
    expect(index.freshness().loaded).toBe(false);
  });
});
