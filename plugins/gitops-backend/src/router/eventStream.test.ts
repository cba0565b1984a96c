import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import httpClient, { type IncomingMessage } from 'node:http';
import request from 'supertest';
import { parseLabelSelector } from '@kupe/plugin-gitops-node';
import {
  type Harness,
  startHarness,
  users,
} from '../__testUtils__/gitopsBackend';
import { indexedApp } from '../__testUtils__/indexedApp';
import type { IndexChangeListener } from '../applicationIndex/ApplicationIndex';
import { EventStreamChanges } from './eventStream';

/** Server-sent `applications` events of one entity, as the browser receives them. */
async function openStream(h: Harness, entityRef: string, user: string) {
  const port = (h.server.address() as { port: number }).port;
  const chunks: string[] = [];
  const req = httpClient.get(
    `http://localhost:${port}/api/gitops/events?entityRef=${entityRef}`,
    { headers: { authorization: mockCredentials.user.header(user) } },
  );
  const response = await new Promise<IncomingMessage>(resolve =>
    req.on('response', resolve),
  );
  response.setEncoding('utf8');
  response.on('data', c => chunks.push(c));
  const events = () =>
    chunks
      .join('')
      .split('\n\n')
      .filter(f => f.startsWith('event: applications'))
      .map(f => JSON.parse(f.split('\ndata: ')[1]));
  return { events, close: () => req.destroy() };
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function until(check: () => boolean, timeoutMs = 5_000) {
  const started = Date.now();
  while (!check() && Date.now() - started < timeoutMs) await sleep(20);
  return check();
}

describe('event streams wake only for changes their entity shows', () => {
  let h: Harness;
  const permissionCalls = new Map<string, number>();
  const count = (credentials: unknown) => {
    const ref =
      (credentials as { principal?: { userEntityRef?: string } })?.principal
        ?.userEntityRef ?? 'other';
    permissionCalls.set(ref, (permissionCalls.get(ref) ?? 0) + 1);
  };

  beforeEach(async () => {
    permissionCalls.clear();
    const permissions = mockServices.permissions.mock({
      authorize: async (requests, options) => {
        count(options?.credentials);
        return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
      },
      authorizeConditional: async (requests, options) => {
        count(options?.credentials);
        return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
      },
    });
    h = await startHarness({
      permissions,
      // Staleness far away: on a loaded machine the harness's 200 ms would flip the index
      // stale between churn events, and a stale flip reloads every stream (rightly).
      backend: {
        index: {
          initialBackoffMs: 20,
          maxBackoffMs: 100,
          staleAfterMs: 60_000,
          readyTimeoutMs: 3000,
        },
      },
    });
    // From a whole index: Argo CD's re-send after a start (paced, on a watch of its own)
    // brings every app's history, a change the streams below would rightly tell.
    const whole = async (entity: string) => {
      const { body } = await request(h.server)
        .get(`/api/gitops/entities/default/component/${entity}/applications`)
        .set('authorization', mockCredentials.user.header(users.root));
      return (
        body.items?.length > 0 &&
        body.items.every((a: { historyPending?: boolean }) => !a.historyPending)
      );
    };
    for (const entity of ['acme-web', 'globex-shop']) {
      let done = await whole(entity);
      for (let i = 0; !done && i < 250; i++) {
        await sleep(20);
        done = await whole(entity);
      }
      if (!done) throw new Error(`${entity}'s history never came in`);
    }
    permissionCalls.clear();
  });
  afterEach(() => h.stop());

  it('stays silent, with no permission call, through reconcile churn; a real change wakes only its entity', async () => {
    const acme = await openStream(h, 'component:default/acme-web', users.alice);
    const globex = await openStream(
      h,
      'component:default/globex-shop',
      users.bob,
    );
    expect(await until(() => acme.events().length === 1)).toBe(true);
    expect(await until(() => globex.events().length === 1)).toBe(true);
    // Both streams are open and have loaded once; from here on, count.
    await sleep(300);
    permissionCalls.clear();

    // Argo CD's reconciles: every app rewritten with a new reconciledAt, many times.
    for (let round = 0; round < 5; round++) {
      for (const name of [
        'acme-web-dev',
        'acme-web-prod',
        'globex-shop-dev',
        'globex-shop-prod',
      ]) {
        h.fake.updateApplication(name, app => {
          app.status = {
            ...app.status,
            reconciledAt: `2026-02-01T00:00:0${round}Z`,
          };
        });
      }
      await sleep(100);
    }
    await sleep(500);
    expect(acme.events()).toHaveLength(1);
    expect(globex.events()).toHaveLength(1);
    expect(Object.fromEntries(permissionCalls)).toEqual({});

    // A change acme's entity shows: acme's stream loads and pushes; globex's does nothing.
    h.fake.updateApplication('acme-web-dev', app => {
      app.status!.health = { status: 'Degraded', message: 'crash loop' };
    });
    expect(await until(() => acme.events().length === 2)).toBe(true);
    expect(
      acme
        .events()[1]
        .items.find((i: { name: string }) => i.name === 'acme-web-dev').health
        .status,
    ).toBe('Degraded');
    await sleep(500);
    expect(globex.events()).toHaveLength(1);
    expect(permissionCalls.get(users.bob)).toBeUndefined();
    expect(permissionCalls.get(users.alice)).toBeGreaterThan(0);
    acme.close();
    globex.close();
  });

  it('stops when its page is left: a change it would have shown then loads nothing', async () => {
    const acme = await openStream(h, 'component:default/acme-web', users.alice);
    expect(await until(() => acme.events().length === 1)).toBe(true);
    acme.close();
    await sleep(300);
    permissionCalls.clear();
    h.fake.updateApplication('acme-web-dev', app => {
      app.status!.health = { status: 'Degraded', message: 'crash loop' };
    });
    // An open stream would load within its 200 ms debounce (the first test shows it).
    await sleep(700);
    expect(Object.fromEntries(permissionCalls)).toEqual({});
  });

  it('computes what a page shows once: its list, event stream and quarantine banner cost one permission call', async () => {
    const entity = '/api/gitops/entities/default/component/acme-web';
    const alice = { Authorization: mockCredentials.user.header(users.alice) };
    // As the card asks: the list and the stream together, then the banner's quarantines.
    const [list, stream] = await Promise.all([
      request(h.server).get(`${entity}/applications`).set(alice),
      openStream(h, 'component:default/acme-web', users.alice),
    ]);
    expect(await until(() => stream.events().length === 1)).toBe(true);
    const quarantines = await request(h.server)
      .get(`${entity}/quarantines`)
      .set(alice);
    stream.close();
    expect(list.status).toBe(200);
    expect(quarantines.body).toEqual({ items: [] });
    expect(list.body.items.length).toBeGreaterThan(0);
    // The stream's first event is the list's whole answer: a page needs only one of them.
    expect(list.body.runningQuarantines).toBe(0);
    expect(stream.events()[0]).toEqual({
      entityRef: 'component:default/acme-web',
      ...list.body,
    });
    expect(Object.fromEntries(permissionCalls)).toEqual({ [users.alice]: 1 });
  });

  it("tells an open page when its entity's quarantines change, and no other page", async () => {
    const quarantines =
      '/api/gitops/entities/default/component/acme-web/quarantines';
    const alice = { Authorization: mockCredentials.user.header(users.alice) };
    const acme = await openStream(h, 'component:default/acme-web', users.alice);
    const globex = await openStream(
      h,
      'component:default/globex-shop',
      users.bob,
    );
    expect(await until(() => acme.events().length === 1)).toBe(true);
    expect(await until(() => globex.events().length === 1)).toBe(true);
    expect(acme.events()[0].runningQuarantines).toBe(0);

    // Every acme-web app runs 1.0.0.
    const added = await request(h.server)
      .post(quarantines)
      .set(alice)
      .send({ version: '1.0.0', reason: 'leaks memory' });
    expect(added.status).toBe(200);
    expect(await until(() => acme.events().length === 2)).toBe(true);
    expect(acme.events()[1].runningQuarantines).toBe(1);
    // The same apps otherwise: only the count moved.
    expect(acme.events()[1].items).toEqual(acme.events()[0].items);

    const lifted = await request(h.server)
      .post(`${quarantines}/${added.body.id}/lift`)
      .set(alice)
      .send({ reason: 'fixed in the config' });
    expect(lifted.status).toBe(200);
    expect(await until(() => acme.events().length === 3)).toBe(true);
    expect(acme.events()[2].runningQuarantines).toBe(0);

    await sleep(500);
    expect(globex.events()).toHaveLength(1);
    acme.close();
    globex.close();
  });
});

describe('EventStreamChanges', () => {
  it('wakes the streams a change concerns on their instances, every one of them for a change without apps, none once left', () => {
    let emit: IndexChangeListener = () => {};
    const changes = new EventStreamChanges({
      subscribe: listener => {
        emit = listener;
        return () => {};
      },
    });
    const woken: string[] = [];
    const web = changes.subscribe(
      { names: [], selector: parseLabelSelector('app=web') },
      new Set(['argocd-1']),
      () => woken.push('web'),
    );
    changes.subscribe(
      { names: ['api-prod'] },
      new Set(['argocd-1', 'argocd-2']),
      () => woken.push('api'),
    );
    emit('argocd-1', { apps: [indexedApp('web-prod', { app: 'web' })] });
    emit('argocd-2', { apps: [indexedApp('web-prod', { app: 'web' })] });
    emit('argocd-2', { apps: [indexedApp('api-prod'), indexedApp('db')] });
    expect(woken).toEqual(['web', 'api']);
    woken.length = 0;
    emit('argocd-2', undefined);
    expect(woken).toEqual(['api']);
    emit('argocd-1', undefined);
    expect(woken.sort()).toEqual(['api', 'api', 'web']);
    woken.length = 0;
    web();
    emit('argocd-1', { apps: [indexedApp('web-prod', { app: 'web' })] });
    emit('argocd-1', undefined);
    expect(woken).toEqual(['api']);
  });
});
