import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import { TenantNaming } from '@kupe/plugin-gitops-common';
import {
  DefaultArgoCdClient,
  type RevisionMetadata,
} from '@kupe/plugin-gitops-node';
import {
  ArgoCdFake,
  SimpleController,
  buildApplication,
  serveFetchHandler,
} from '@kupe/plugin-gitops-node-test-utils';
import { InstanceIndex } from '../applicationIndex/InstanceIndex';
import { ApplicationDetails } from './ApplicationDetails';

/** A repo-server that knows none of the app's commits (force-pushed away, say). */
class ForgetfulController extends SimpleController {
  async revisionMetadata(): Promise<RevisionMetadata | undefined> {
    return undefined;
  }
}

/**
 * `fake` served over HTTP, an index of it loaded, and an in-memory cache whose clock the test
 * moves (`advance`).
 */
async function startWorld(fake: ArgoCdFake) {
  const server = createServer((req, res) => {
    void serveFetchHandler(req, res, 'http://127.0.0.1', r => fake.handle(r));
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const client = new DefaultArgoCdClient({
    name: 'main',
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token: ArgoCdFake.adminToken,
  });
  const index = new InstanceIndex({
    client,
    naming: new TenantNaming(),
    options: {
      staleAfterMs: 60_000,
      resyncIntervalMs: 600_000,
      initialBackoffMs: 10,
      maxBackoffMs: 10,
      maxApplicationsPerInstance: 100,
    },
    logger: mockServices.logger.mock(),
    onChange: () => {},
  });
  index.start();
  expect(await index.whenReady(5_000)).toBe(true);
  const store = new Map<string, { value: unknown; until: number }>();
  let now = Date.now();
  const cache = {
    get: async (key: string) => {
      const hit = store.get(key);
      return hit && hit.until > now ? hit.value : undefined;
    },
    set: async (key: string, value: unknown, options?: { ttl?: number }) => {
      store.set(key, { value, until: now + (options?.ttl ?? 3_600_000) });
    },
    delete: async (key: string) => {
      store.delete(key);
    },
    withOptions: () => cache,
  };
  return {
    server,
    fake,
    client,
    index,
    cache,
    advance: (ms: number) => {
      now += ms;
    },
    visible: () => ({
      app: index.get('argocd', 'web')!,
      index,
      client,
      scope: { project: 'tenant-acme' },
    }),
  };
}

describe('ApplicationDetails remembers failed lookups briefly', () => {
  let world: Awaited<ReturnType<typeof startWorld>> | undefined;
  afterEach(async () => {
    await world?.index.stop();
    world?.fake.close();
    await new Promise(r => world?.server.close(r));
    world = undefined;
  });

  it('asks Argo CD once per missing revision, not on every view, until the entry expires', async () => {
    const fake = new ArgoCdFake({ controller: new ForgetfulController() });
    fake.putApplication(
      buildApplication({ name: 'web', tenant: 'acme', historyLength: 10 }),
    );
    world = await startWorld(fake);
    const withCache = new ApplicationDetails({
      cache: world.cache as any,
      logger: mockServices.logger.mock(),
      options: { historyLimit: 10, historyConcurrency: 4 },
    });
    const visible = world.visible();
    const metadataRequests = () =>
      fake.requests.filter(r => r.path.includes('/revisions/')).length;

    const first = await withCache.detail(visible, undefined);
    expect(first.history).toHaveLength(10);
    // Every revision shown without commit details: Argo CD could not describe any of them.
    expect(first.history.every(h => h.author === undefined)).toBe(true);
    expect(metadataRequests()).toBe(10);
    await withCache.detail(visible, undefined);
    expect(metadataRequests()).toBe(10);
    // A minute later the failures are forgotten and asked again, once.
    world.advance(61_000);
    await withCache.detail(visible, undefined);
    expect(metadataRequests()).toBe(20);
  });

  it('looks for revisions the branch does not have once a minute, not on every view', async () => {
    const fake = new ArgoCdFake();
    fake.putApplication(
      buildApplication({ name: 'web', tenant: 'acme', historyLength: 4 }),
    );
    world = await startWorld(fake);
    const app = fake.getApplication('web')!;
    const revisions = (app.status?.history ?? []).map(h => h.revision!);
    // The branch has the newest deployment's commit only.
    const onBranch = revisions[revisions.length - 1];
    const asked: string[][] = [];
    const details = new ApplicationDetails({
      cache: world.cache as any,
      logger: mockServices.logger.mock(),
      options: { historyLimit: 10, historyConcurrency: 4 },
      ownFiles: async (_visible, _app, wanted) => {
        asked.push(wanted);
        return new Map(
          wanted
            .filter(r => r === onBranch)
            .map(r => [r, { key: `files-${r}` }]),
        );
      },
    });
    const visible = world.visible();
    const all = [...new Set(revisions)];
    expect(await details.ownFilesAt(visible, app, revisions)).toEqual(
      new Map([[onBranch, { key: `files-${onBranch}` }]]),
    );
    expect(asked).toEqual([all]);
    expect(await details.ownFilesAt(visible, app, revisions)).toEqual(
      new Map([[onBranch, { key: `files-${onBranch}` }]]),
    );
    expect(asked).toHaveLength(1);
    world.advance(61_000);
    await details.ownFilesAt(visible, app, revisions);
    expect(asked).toEqual([all, all.filter(r => r !== onBranch)]);
  });
});
