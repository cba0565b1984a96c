import { mockServices } from '@backstage/backend-test-utils';
import { TenantNaming } from '@kupe/plugin-gitops-common';
import {
  type Application,
  type ApplicationWatchEvent,
  type ArgoCdClient,
  parseLabelSelector,
} from '@kupe/plugin-gitops-node';
import { buildApplication } from '@kupe/plugin-gitops-node-test-utils';
import {
  type EntityApplicationSpec,
  matchesEntitySpec,
} from '../service/entityApplicationSpec';
import { selectEntityApplications } from '../service/EntityApplications';
import { BackgroundPacer } from './BackgroundPacer';
import { InstanceIndex, type InstanceIndexOptions } from './InstanceIndex';
import { LIVENESS_FIELDS } from './livenessCheck';

/** What a `fields=` listing never carries (not on Argo CD's List whitelist). */
function withoutListOnlyFields(app: Application): Application {
  const copy = JSON.parse(JSON.stringify(app));
  delete copy.metadata.ownerReferences;
  if (copy.status) {
    delete copy.status.history;
    delete copy.status.resources;
    delete copy.status.sync?.revisions;
    if (copy.status.operationState) {
      delete copy.status.operationState.message;
      delete copy.status.operationState.syncResult;
      delete copy.status.operationState.operation;
    }
  }
  return copy as Application;
}

/**
 * A client whose listing is `items` and whose watches yield what the test sends. As Argo CD's
 * `Server.Watch`: a watch without a resourceVersion first yields every app as ADDED (`resent`
 * when set), and only then subscribes; every subscribed watch gets each event sent (events
 * sent while none is subscribed wait for the next one to subscribe).
 */
function stubClient() {
  let items: Application[] = [];
  let resent: Application[] | undefined;
  type Subscriber = (event: ApplicationWatchEvent | 'close') => void;
  const subscribers = new Set<Subscriber>();
  const unheard: Array<ApplicationWatchEvent | 'close'> = [];
  let lists = 0;
  const listedFields: Array<string[] | undefined> = [];
  const watches: Array<{ resourceVersion?: string; open: boolean }> = [];
  const client = {
    instance: { name: 'main' },
    listApplications: async (query: { fields?: string[] }) => {
      lists++;
      listedFields.push(query.fields);
      return {
        items: query.fields ? items.map(withoutListOnlyFields) : items,
        metadata: { resourceVersion: String(lists) },
      };
    },
    async *watchApplications(query: {
      resourceVersion?: string;
      signal?: AbortSignal;
    }) {
      const watch = { resourceVersion: query.resourceVersion, open: true };
      watches.push(watch);
      const queue: Array<ApplicationWatchEvent | 'close'> = [];
      let wake: (() => void) | undefined;
      const subscriber: Subscriber = event => {
        queue.push(event);
        wake?.();
      };
      const queued = () =>
        new Promise<void>(resolve => {
          wake = resolve;
        });
      try {
        if (!query.resourceVersion)
          for (const application of resent ?? items) {
            if (query.signal?.aborted) return;
            yield { type: 'ADDED', application } as ApplicationWatchEvent;
          }
        subscribers.add(subscriber);
        queue.push(...unheard.splice(0));
        query.signal?.addEventListener('abort', () => subscriber('close'));
        for (;;) {
          while (queue.length === 0) await queued();
          const next = queue.shift()!;
          if (next === 'close' || query.signal?.aborted) return;
          yield next;
        }
      } finally {
        watch.open = false;
        subscribers.delete(subscriber);
      }
    },
  } as unknown as ArgoCdClient;
  return {
    client,
    setItems: (next: Application[]) => {
      items = next;
    },
    /** What a watch without a resourceVersion re-sends instead of the listing's items. */
    setResent: (next: Application[]) => {
      resent = next;
    },
    send: (event: ApplicationWatchEvent | 'close') => {
      if (subscribers.size === 0) unheard.push(event);
      for (const subscriber of [...subscribers]) subscriber(event);
    },
    lists: () => lists,
    listedFields,
    /** Every watch opened: its resourceVersion, and whether it is still open. */
    watches,
  };
}

const app = (name: string, labels: Record<string, string>, extra = {}) =>
  buildApplication({ name, tenant: 'acme', labels, ...extra });

async function eventually(check: () => void): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      check();
      return;
    } catch (error) {
      if (i > 200) throw error;
      await new Promise(r => setTimeout(r, 5));
    }
  }
}

function start(
  stub: ReturnType<typeof stubClient>,
  extra: Partial<InstanceIndexOptions> = {},
): InstanceIndex {
  const index = new InstanceIndex({
    client: stub.client,
    naming: new TenantNaming(),
    options: {
      staleAfterMs: 60_000,
      resyncIntervalMs: 600_000,
      initialBackoffMs: 1,
      maxBackoffMs: 1,
      maxApplicationsPerInstance: 1_000,
    },
    logger: mockServices.logger.mock(),
    onChange: () => {},
    ...extra,
  });
  index.start();
  return index;
}

const select = (index: InstanceIndex, spec: Partial<EntityApplicationSpec>) =>
  selectEntityApplications({ names: [], ...spec }, index)
    .map(a => `${a.appNamespace}/${a.name}`)
    .sort();

const scan = (index: InstanceIndex, spec: Partial<EntityApplicationSpec>) =>
  index
    .list()
    .filter(a => matchesEntitySpec({ names: [], ...spec }, a))
    .map(a => `${a.appNamespace}/${a.name}`)
    .sort();

const bySelector = (index: InstanceIndex, selector: string) =>
  select(index, { selector: parseLabelSelector(selector) });

describe('InstanceIndex lookups', () => {
  let index: InstanceIndex | undefined;
  afterEach(() => index?.stop());

  it('moves an app between label buckets and drops deleted apps from every map', async () => {
    const stub = stubClient();
    stub.setItems([
      app('web-dev', { team: 'a' }),
      app('api-dev', { team: 'a' }),
    ]);
    index = start(stub);
    await index.whenReady(1_000);
    expect(bySelector(index, 'team=a')).toEqual([
      'argocd/api-dev',
      'argocd/web-dev',
    ]);

    stub.send({ type: 'MODIFIED', application: app('web-dev', { team: 'b' }) });
    await eventually(() =>
      expect(bySelector(index!, 'team=b')).toEqual(['argocd/web-dev']),
    );
    expect(bySelector(index, 'team=a')).toEqual(['argocd/api-dev']);
    expect(bySelector(index, 'team in (a,b)')).toEqual([
      'argocd/api-dev',
      'argocd/web-dev',
    ]);

    stub.send({ type: 'DELETED', application: app('web-dev', { team: 'b' }) });
    await eventually(() => expect(bySelector(index!, 'team=b')).toEqual([]));
    expect(index.findByName('web-dev')).toEqual([]);
    expect(select(index, { names: ['web-dev'] })).toEqual([]);
    expect(
      select(index, {
        project: 'tenant-acme',
        selector: parseLabelSelector('team'),
      }),
    ).toEqual(['argocd/api-dev']);
    // The record the watch deleted is in no bucket any more, even by a stale label.
    expect([
      ...index.candidates(parseLabelSelector('team=b'), undefined),
    ]).toEqual([]);
  });

  it('keeps apps of the same name in two namespaces apart', async () => {
    const stub = stubClient();
    stub.setItems([
      app('web', { team: 'a' }),
      app('web', { team: 'a' }, { namespace: 'apps' }),
    ]);
    index = start(stub);
    await index.whenReady(1_000);
    expect(select(index, { names: ['web'] })).toEqual([
      'apps/web',
      'argocd/web',
    ]);
    expect(select(index, { names: ['web'], appNamespace: 'apps' })).toEqual([
      'apps/web',
    ]);

    stub.send({
      type: 'DELETED',
      application: app('web', {}, { namespace: 'apps' }),
    });
    await eventually(() =>
      expect(select(index!, { names: ['web'] })).toEqual(['argocd/web']),
    );
    expect(bySelector(index, 'team=a')).toEqual(['argocd/web']);
  });

  it('removes apps a resync no longer lists, and indexes the ones it adds', async () => {
    const stub = stubClient();
    stub.setItems([
      app('web-dev', { team: 'a' }),
      app('api-dev', { team: 'a' }),
    ]);
    index = start(stub);
    await index.whenReady(1_000);
    stub.setItems([
      app('api-dev', { team: 'c' }),
      app('db-dev', { team: 'a' }),
    ]);
    // The stream closing makes the index list again.
    stub.send('close');
    await eventually(() => expect(stub.lists()).toBe(2));
    await eventually(() =>
      expect(bySelector(index!, 'team=a')).toEqual(['argocd/db-dev']),
    );
    expect(bySelector(index, 'team=c')).toEqual(['argocd/api-dev']);
    expect(index.findByName('web-dev')).toEqual([]);
    expect(index.size).toBe(2);
  });

  it('answers every kind of spec exactly like a scan of the whole index', async () => {
    const stub = stubClient();
    const teams = ['a', 'b', 'c'];
    const envs = ['dev', 'staging', 'production'];
    const build = (i: number, generation: number) =>
      app(
        `app${i}`,
        {
          team: teams[(i + generation) % 3],
          ...(i % 4 === 0 ? {} : { tier: `t${i % 2}` }),
          ...(i % 5 === 0 ? { 'example.com/legacy': 'true' } : {}),
        },
        {
          environment: envs[i % 3],
          component: `svc${i % 7}`,
          project: i % 6 === 0 ? 'shared' : 'tenant-acme',
          namespace: i % 9 === 0 ? 'apps' : 'argocd',
        },
      );
    stub.setItems(Array.from({ length: 60 }, (_, i) => build(i, 0)));
    index = start(stub);
    await index.whenReady(1_000);
    // Relabel, delete and add through the watch.
    for (let i = 0; i < 60; i += 2)
      stub.send({ type: 'MODIFIED', application: build(i, 1) });
    for (let i = 0; i < 60; i += 5)
      stub.send({ type: 'DELETED', application: build(i, 1) });
    for (let i = 60; i < 70; i++)
      stub.send({ type: 'ADDED', application: build(i, 2) });
    await eventually(() => expect(index!.findByName('app69')).toHaveLength(1));

    const selectors = [
      'team=a',
      'team==b,tier=t1',
      'team in (a,c),tier!=t0',
      'backstage.io/kubernetes-id=svc3,kupe.cloud/environment=dev',
      'tier',
      '!tier',
      'team notin (a)',
      'example.com/legacy=true,team=zzz',
      'team in (a,a,b),tier in (t0)',
      'nosuch=label',
    ];
    const specs: Array<Partial<EntityApplicationSpec>> = [
      { names: ['app1', 'app3', 'app5', 'app60', 'nope'] },
      { names: ['app9', 'app18'], appNamespace: 'apps' },
      { names: ['app6'], project: 'shared' },
      ...selectors.flatMap(s => [
        { selector: parseLabelSelector(s) },
        { selector: parseLabelSelector(s), project: 'shared' },
        { selector: parseLabelSelector(s), project: 'tenant-acme' },
        { selector: parseLabelSelector(s), appNamespace: 'apps' },
        { selector: parseLabelSelector(s), names: ['app1', 'app2'] },
      ]),
    ];
    for (const spec of specs) {
      expect({ spec, apps: select(index, spec) }).toEqual({
        spec,
        apps: scan(index, spec),
      });
    }
  });
});

describe('InstanceIndex start and liveness schedule', () => {
  let index: InstanceIndex | undefined;
  afterEach(async () => {
    await index?.stop();
    index = undefined;
    jest.useRealTimers();
  });

  const built: Application[] = [];
  const manyApps = (count: number) => {
    for (let i = built.length; i < count; i++)
      built.push(app(`app${i}`, { team: 'a' }, { revision: 'a'.repeat(40) }));
    return built.slice(0, count);
  };

  it('serves the lean listing at once, flagging each record historyPending until the watch re-sends it', async () => {
    const stub = stubClient();
    stub.setItems(manyApps(50));
    const changes: unknown[] = [];
    index = start(stub, { onChange: (_i, change) => changes.push(change) });
    expect(await index.whenReady(1_000)).toBe(true);
    // One listing, the lean one.
    expect(stub.listedFields).toHaveLength(1);
    expect(stub.listedFields[0]).not.toContain('items.status.history');
    await eventually(() =>
      expect(index!.list().filter(a => a.historyPending)).toEqual([]),
    );
    expect(index.get('argocd', 'app7')?.deployedRevision).toBe('a'.repeat(40));
    expect(index.get('argocd', 'app7')?.lastSyncedAt).toBeDefined();
    // Loading is a change for everyone; the 50 re-sent records (before and after each) follow
    // in batches of 250 ms, not one change per app: one batch, or two on a busy machine where
    // the paced re-send outlasts a batch.
    expect(changes[0]).toBeUndefined();
    const told = changes.filter(Boolean) as Array<{ apps: unknown[] }>;
    expect(told.length).toBeGreaterThanOrEqual(1);
    expect(told.length).toBeLessThanOrEqual(2);
    expect(told.flatMap(change => change.apps)).toHaveLength(100);
  });

  const pendingCount = (i: InstanceIndex) =>
    i.list().filter(a => a.historyPending).length;

  it('names the re-sent apps in every change it tells, however fast they come, a batch at most 500 records', async () => {
    const stub = stubClient();
    // 600 apps re-sent at once: 1,200 records (each app's before and after) in one burst.
    stub.setItems(manyApps(600));
    const changes: Array<{ apps: unknown[] } | undefined> = [];
    index = start(stub, {
      onChange: (_i, change) => changes.push(change as { apps: unknown[] }),
    });
    expect(await index.whenReady(5_000)).toBe(true);
    await eventually(() => expect(pendingCount(index!)).toBe(0));
    // Loading (and the index turning live) is a change of anything; from the re-send's first
    // batch on, every change names its apps.
    expect(changes[0]).toBeUndefined();
    const told = changes.slice(changes.findIndex(Boolean));
    expect(told.length).toBeGreaterThanOrEqual(3);
    expect(told.every(change => change !== undefined)).toBe(true);
    expect(told.every(change => change!.apps.length <= 500)).toBe(true);
    expect(told.flatMap(change => change!.apps)).toHaveLength(1200);
  });

  it('before the re-send, a record says its history is pending rather than that nothing runs', async () => {
    jest.useFakeTimers();
    const stub = stubClient();
    const listed = manyApps(2);
    stub.setItems(listed);
    stub.setResent([]);
    index = start(stub);
    await expect(index.whenReady(1_000)).resolves.toBe(true);
    const lean = index.get('argocd', 'app1')!;
    expect(lean.historyPending).toBe(true);
    expect(lean.deployedRevision).toBeUndefined();
    // Its first event (here a reconcile) brings the whole record.
    stub.send({ type: 'MODIFIED', application: listed[1] });
    await jest.advanceTimersByTimeAsync(10);
    expect(index.get('argocd', 'app1')?.historyPending).toBeUndefined();
    expect(index.get('argocd', 'app1')?.deployedRevision).toBe('a'.repeat(40));
  });

  it('applies a long re-send in slices, so what waits on the event loop runs in between, and completes every record', async () => {
    const stub = stubClient();
    // The stub re-sends synchronously, as a stream whose buffer is full: one run, unsliced.
    stub.setItems(manyApps(500));
    index = start(stub);
    expect(await index.whenReady(5_000)).toBe(true);
    const pendingWhenServed = await new Promise<number>(resolve =>
      setImmediate(() => resolve(pendingCount(index!))),
    );
    // A request arriving as the re-send starts is served before most of it is applied.
    expect(pendingWhenServed).toBeGreaterThan(0);
    await eventually(() => expect(pendingCount(index!)).toBe(0));
    expect(index.get('argocd', 'app499')?.deployedRevision).toBe(
      'a'.repeat(40),
    );
  });

  it('applies nothing more of a stream once stopped between two slices', async () => {
    const stub = stubClient();
    stub.setItems(manyApps(500));
    index = start(stub);
    expect(await index.whenReady(5_000)).toBe(true);
    await new Promise<void>(resolve =>
      setImmediate(() => index!.stop().then(resolve)),
    );
    const pending = pendingCount(index);
    expect(pending).toBeGreaterThan(0);
    await new Promise(r => setTimeout(r, 50));
    expect(pendingCount(index)).toBe(pending);
  });

  it('stops awaiting the re-send once the watch re-sends nothing for 5 s; the rest stay pending', async () => {
    jest.useFakeTimers();
    const stub = stubClient();
    const listed = manyApps(3);
    const logger = mockServices.logger.mock();
    logger.child.mockReturnValue(logger);
    // Argo CD re-sends only what its informer holds: an app listed but gone by then is not.
    stub.setItems(listed);
    stub.setResent(listed.slice(0, 2));
    index = start(stub, { logger });
    await expect(index.whenReady(30_000)).resolves.toBe(true);
    expect(index.size).toBe(3);
    // Two re-sent in the first 5 s: it waits 5 s more for the third.
    await jest.advanceTimersByTimeAsync(9_000);
    expect(logger.warn).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1_500);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        're-sent none of the 1 listed application(s) still awaited',
      ),
    );
    expect(index.get('argocd', 'app2')?.historyPending).toBe(true);
    expect(index.get('argocd', 'app0')?.historyPending).toBeUndefined();
  });
});

describe('InstanceIndex re-send after a start', () => {
  let index: InstanceIndex | undefined;
  afterEach(async () => {
    await index?.stop();
    index = undefined;
  });

  const withHistory = (name: string, labels: Record<string, string>) =>
    app(name, labels, { revision: 'b'.repeat(40) });

  it('watches live from the listing at once and reads the re-send on a watch of its own, closed once every app came', async () => {
    const stub = stubClient();
    stub.setItems([
      withHistory('web', { team: 'a' }),
      withHistory('api', { team: 'a' }),
    ]);
    index = start(stub);
    expect(await index.whenReady(1_000)).toBe(true);
    await eventually(() => expect(stub.watches).toHaveLength(2));
    // The live watch subscribes at once (from the listing's resourceVersion: no re-send);
    // the second one, without, gets Argo CD's re-send of every app.
    expect(stub.watches.map(w => w.resourceVersion)).toEqual(['1', undefined]);
    await eventually(() =>
      expect(index!.list().filter(a => a.historyPending)).toEqual([]),
    );
    expect(index.get('argocd', 'web')?.deployedRevision).toBe('b'.repeat(40));
    await eventually(() =>
      expect(stub.watches.map(w => w.open)).toEqual([true, false]),
    );
    // The live watch goes on alone.
    stub.send({
      type: 'MODIFIED',
      application: withHistory('web', { team: 'c' }),
    });
    await eventually(() =>
      expect(index!.get('argocd', 'web')?.labels.team).toBe('c'),
    );
  });

  it('never lets the re-send, older than what the live watch told, undo a change or bring back a deleted app', async () => {
    const stub = stubClient();
    stub.setItems([
      withHistory('web', { team: 'a' }),
      withHistory('api', { team: 'a' }),
      withHistory('old', { team: 'a' }),
    ]);
    // A slow pace: the live events below land before the re-send's first slice.
    index = start(stub, {
      pacer: new BackgroundPacer({ sliceMs: 2, pauseMs: 100 }),
    });
    expect(await index.whenReady(1_000)).toBe(true);
    stub.send({
      type: 'MODIFIED',
      application: withHistory('api', { team: 'b' }),
    });
    stub.send({
      type: 'DELETED',
      application: withHistory('old', { team: 'a' }),
    });
    await eventually(() => expect(index!.get('argocd', 'old')).toBeUndefined());
    expect(index.get('argocd', 'api')?.labels.team).toBe('b');
    // The re-send still carries the listing-time state of all three.
    await eventually(() =>
      expect(index!.get('argocd', 'web')?.historyPending).toBeUndefined(),
    );
    await eventually(() => expect(stub.watches[1]?.open).toBe(false));
    expect(index.get('argocd', 'api')?.labels.team).toBe('b');
    expect(index.get('argocd', 'old')).toBeUndefined();
    expect(index.size).toBe(2);
  });

  it('reads the re-send no faster than its pacer allows, so requests run between its slices', async () => {
    const stub = stubClient();
    const apps = Array.from({ length: 300 }, (_, i) =>
      withHistory(`app${i}`, { team: 'a' }),
    );
    stub.setItems(apps);
    const pacer = new BackgroundPacer({ sliceMs: 1, pauseMs: 10 });
    const turns: number[] = [];
    const turn = pacer.turn.bind(pacer);
    pacer.turn = signal =>
      turn(signal).then(() => {
        turns.push(performance.now());
      });
    index = start(stub, { pacer });
    expect(await index.whenReady(1_000)).toBe(true);
    const pending = () => index!.list().filter(a => a.historyPending).length;
    await eventually(() => expect(pending()).toBe(0));
    // More than one slice was needed, each a pause after the one before.
    expect(turns.length).toBeGreaterThan(1);
    for (let i = 1; i < turns.length; i++)
      expect(turns[i] - turns[i - 1]).toBeGreaterThanOrEqual(9);
  });

  it('keeps the index live when the re-send fails; the apps still waiting get their history with their next event', async () => {
    const stub = stubClient();
    const listed = [
      withHistory('web', { team: 'a' }),
      withHistory('api', { team: 'a' }),
    ];
    stub.setItems(listed);
    const watch = stub.client.watchApplications.bind(stub.client);
    stub.client.watchApplications = (query => {
      if (query?.resourceVersion) return watch(query);
      return (async function* failing() {
        yield {
          type: 'ADDED',
          application: listed[0],
        } as ApplicationWatchEvent;
        throw new Error('stream reset');
      })();
    }) as typeof stub.client.watchApplications;
    const logger = mockServices.logger.mock();
    logger.child.mockReturnValue(logger);
    index = start(stub, { logger });
    expect(await index.whenReady(1_000)).toBe(true);
    await eventually(() =>
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining(
          "re-send of the applications' history failed; the 1 still awaited",
        ),
      ),
    );
    expect(index.get('argocd', 'web')?.historyPending).toBeUndefined();
    expect(index.get('argocd', 'api')?.historyPending).toBe(true);
    expect(index.freshness()).toMatchObject({ loaded: true, error: undefined });
    stub.send({ type: 'MODIFIED', application: listed[1] });
    await eventually(() =>
      expect(index!.get('argocd', 'api')?.historyPending).toBeUndefined(),
    );
    expect(stub.lists()).toBe(1);
  });
});

describe('InstanceIndex liveness check race rule', () => {
  let index: InstanceIndex | undefined;
  afterEach(async () => {
    await index?.stop();
    index = undefined;
  });

  it('does not count an app an event changed while the check listing was on its way', async () => {
    const stub = stubClient();
    const before = app('web-dev', { team: 'a' });
    stub.setItems([before]);
    // The check's listings answer from what Argo CD held when asked (`checked`); the first
    // one's answer arrives only when the test says so.
    let checked = [before];
    let checks = 0;
    let release: (() => void) | undefined;
    const listed = stub.client.listApplications.bind(stub.client);
    stub.client.listApplications = (async (query: { fields?: string[] }) => {
      if (query.fields?.length !== LIVENESS_FIELDS.length) return listed(query);
      checks += 1;
      const answer = { items: checked, metadata: {} };
      if (checks === 1) await new Promise<void>(r => (release = r));
      return answer;
    }) as typeof stub.client.listApplications;
    index = start(stub, {
      liveness: { checkIntervalMs: 100, confirmMs: 10 },
    });
    await index.whenReady(1_000);
    await eventually(() => expect(release).toBeDefined());

    // Argo CD changes the app; its event arrives before the older listing does.
    const after = app('web-dev', { team: 'b' });
    stub.setItems([after]);
    stub.send({ type: 'MODIFIED', application: after });
    await eventually(() =>
      expect(index!.get('argocd', 'web-dev')?.labels.team).toBe('b'),
    );
    release!();
    // The listing's older app is no difference, so no confirming listing follows (which,
    // still answering the older app, would restart the cycle).
    await new Promise(r => setTimeout(r, 60));
    expect(checks).toBe(1);
    checked = [after];
    await eventually(() => expect(checks).toBeGreaterThan(1));
    expect(index.recoveries).toBe(0);
  });
});
