import type { Application } from '@kupe/plugin-gitops-node';
import type { IndexedApplication } from '../applicationIndex/IndexedApplication';
import type { VisibleApplication } from './ApplicationAccess';
import { SharedApplicationReads } from './SharedApplicationReads';

function visibleOf(
  record: Partial<IndexedApplication>,
  client: { getApplication: jest.Mock },
  /** What the index makes of an app read: the same record unless given. */
  upsert: (app: Application) => IndexedApplication | undefined = () =>
    undefined,
): VisibleApplication {
  return {
    app: {
      instance: 'main',
      appNamespace: 'argocd',
      name: 'web-dev',
      ...record,
    } as IndexedApplication,
    index: { upsert } as unknown as VisibleApplication['index'],
    client: client as unknown as VisibleApplication['client'],
    scope: {
      project: 'tenant-acme',
      tenant: 'acme',
    } as VisibleApplication['scope'],
  };
}

function argoCd() {
  let reads = 0;
  return {
    getApplication: jest.fn(
      async () => ({ metadata: { name: `read ${++reads}` } } as Application),
    ),
  };
}

describe('SharedApplicationReads', () => {
  let now = 0;
  const reads = () =>
    new SharedApplicationReads({ ttlMs: 2_000, maxEntries: 3, now: () => now });
  beforeEach(() => {
    now = 1_000_000;
  });

  it('serves concurrent and following reads of the same record from one Argo CD call, within the lifetime', async () => {
    const client = argoCd();
    const shared = reads();
    const visible = visibleOf({}, client);
    const [a, b] = await Promise.all([
      shared.application(visible),
      shared.application(visible),
    ]);
    now += 1_999;
    const c = await shared.application(visible);
    expect([a, b, c].map(x => x.application.metadata.name)).toEqual([
      'read 1',
      'read 1',
      'read 1',
    ]);
    expect(client.getApplication).toHaveBeenCalledTimes(1);
    expect(client.getApplication).toHaveBeenCalledWith(
      'web-dev',
      visible.scope,
    );
    now += 1;
    expect((await shared.application(visible)).application.metadata.name).toBe(
      'read 2',
    );
  });

  it('reads again for a new record of the app, another client, or after forget', async () => {
    const client = argoCd();
    const shared = reads();
    const record = { name: 'web-dev' };
    await shared.application(visibleOf(record, client));
    // The index replaced its record: a change it heard of.
    expect(
      (await shared.application(visibleOf({ name: 'web-dev' }, client)))
        .application.metadata.name,
    ).toBe('read 2');
    const other = argoCd();
    const sameRecord = visibleOf({}, client).app;
    const fromOther = { ...visibleOf({}, other), app: sameRecord };
    await shared.application({ ...visibleOf({}, client), app: sameRecord });
    expect(
      (await shared.application(fromOther)).application.metadata.name,
    ).toBe('read 1');
    shared.forget(sameRecord);
    expect(
      (await shared.application({ ...visibleOf({}, client), app: sameRecord }))
        .application.metadata.name,
    ).toBe('read 4');
  });

  it('takes the record its own read gave the index as the same state', async () => {
    const client = argoCd();
    const shared = reads();
    const listed = visibleOf({}, client);
    const updated = { ...listed.app };
    listed.index.upsert = () => updated;
    const read = await shared.application(listed);
    expect(read.record).toBe(updated);
    // A request that found the index's new record shares the read.
    const after = { ...listed, app: updated };
    expect((await shared.application(after)).application).toBe(
      read.application,
    );
    expect(client.getApplication).toHaveBeenCalledTimes(1);
    // Another record (a change the index heard of elsewhere) reads again.
    await shared.application({ ...listed, app: { ...updated } });
    expect(client.getApplication).toHaveBeenCalledTimes(2);
  });

  it('keeps instances apart, and no failure', async () => {
    const client = argoCd();
    const shared = reads();
    const dev = visibleOf({}, client);
    await shared.application(dev);
    await shared.application({
      ...dev,
      app: { ...dev.app, instance: 'other' },
    });
    expect(client.getApplication).toHaveBeenCalledTimes(2);

    client.getApplication.mockRejectedValueOnce(new Error('argocd down'));
    const failing = visibleOf({ name: 'web-prod' }, client);
    await expect(shared.application(failing)).rejects.toThrow('argocd down');
    await expect(shared.application(failing)).resolves.toBeDefined();
  });

  it('holds at most maxEntries reads, dropping the oldest', async () => {
    const client = argoCd();
    const shared = reads();
    const apps = ['a', 'b', 'c', 'd'].map(name => visibleOf({ name }, client));
    for (const visible of apps) await shared.application(visible);
    // 'a' went for 'd'; 'b' to 'd' are still shared.
    for (const visible of apps.slice(1)) await shared.application(visible);
    expect(client.getApplication).toHaveBeenCalledTimes(4);
    await shared.application(apps[0]);
    expect(client.getApplication).toHaveBeenCalledTimes(5);
  });

  it('lets go of its reads once they expire, with no read to come', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    try {
      const client = argoCd();
      const shared = new SharedApplicationReads({ ttlMs: 2_000 });
      const visible = visibleOf({}, client);
      await shared.application(visible);
      // One sweep waits for the read to expire, then finds nothing left to wait for.
      expect(jest.getTimerCount()).toBe(1);
      jest.advanceTimersByTime(2_000);
      expect(jest.getTimerCount()).toBe(0);
      await shared.application(visible);
      expect(client.getApplication).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('shares nothing with a lifetime of 0', async () => {
    const client = argoCd();
    const shared = new SharedApplicationReads({ ttlMs: 0 });
    const visible = visibleOf({}, client);
    await Promise.all([
      shared.application(visible),
      shared.application(visible),
    ]);
    expect(client.getApplication).toHaveBeenCalledTimes(2);
  });
});
