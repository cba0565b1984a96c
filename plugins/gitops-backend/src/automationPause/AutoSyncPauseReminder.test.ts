import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { TenantNaming } from '@kupe/plugin-gitops-common';
import {
  type ArgoCdService,
  DefaultArgoCdClient,
} from '@kupe/plugin-gitops-node';
import {
  ArgoCdFake,
  argoCdMswHandlers,
} from '@kupe/plugin-gitops-node-test-utils';
import { setupServer } from 'msw/node';
import { MAIN, seedFake } from '../__testUtils__/gitopsBackend';
import type { ApplicationIndex } from '../applicationIndex/ApplicationIndex';
import { toIndexedApplication } from '../applicationIndex/IndexedApplication';
import {
  AutoSyncPauseReminder,
  readAutoSyncPauseOptions,
} from './AutoSyncPauseReminder';

const NOW = Date.parse('2026-12-04T15:00:00Z');
const naming = new TenantNaming();
const owners = {
  entityRef: 'component:default/acme-web',
  entityName: 'acme-web',
  link: '/catalog/default/component/acme-web/gitops',
  owners: ['group:default/acme-team'],
};

function setup(options: { remindAfterMs?: number | false } = {}) {
  const { fake, tokens } = seedFake();
  const msw = setupServer(...argoCdMswHandlers(fake, MAIN));
  msw.listen({ onUnhandledRequest: 'error' });
  const client = new DefaultArgoCdClient({
    name: 'main',
    url: MAIN,
    token: ArgoCdFake.adminToken,
    projectTokens: tokens,
  });
  const argoCd: ArgoCdService = {
    listInstances: () => [client.instance],
    forInstance: () => client,
  };
  // What the index holds: every app of the fake as it is now.
  const index = {
    instances: () => ['main'],
    instance: () => ({
      list: () =>
        fake
          .listApplications()
          .map(app =>
            toIndexedApplication(
              'main',
              app,
              naming,
              'argocd',
              undefined,
              new Date(NOW),
            ),
          ),
      upsert: () => undefined,
    }),
  } as unknown as ApplicationIndex;
  const sent: NotificationSendOptions[] = [];
  const recipientsOf = jest.fn(async () => owners);
  const reminder = new AutoSyncPauseReminder({
    index,
    argoCd,
    naming,
    recipientsOf,
    notifications: { send: async n => void sent.push(n) },
    logger: mockServices.logger.mock(),
    options: {
      remindAfterMs: options.remindAfterMs ?? 4 * 3_600_000,
      checkIntervalMs: 60_000,
    },
    now: () => NOW,
  });
  const pause = (at: string) =>
    fake.updateApplication('acme-web-dev', a => {
      a.spec.syncPolicy = { automated: { prune: true, enabled: false } };
      a.metadata.annotations = {
        'kupe.cloud/auto-sync-paused-by': 'user:default/alice',
        'kupe.cloud/auto-sync-paused-at': at,
        'kupe.cloud/auto-sync-paused-reason': 'incident INC-42',
      };
    });
  return { fake, reminder, sent, recipientsOf, pause, stop: () => msw.close() };
}

describe('AutoSyncPauseReminder', () => {
  let stop: (() => void) | undefined;
  afterEach(() => stop?.());

  it('reminds the owning team once per pause, recording it on the Application first', async () => {
    const s = setup();
    stop = s.stop;
    s.pause('2026-12-04T10:00:00Z');
    expect(await s.reminder.run()).toBe(1);
    expect(s.sent).toEqual([
      {
        recipients: { type: 'entity', entityRef: owners.owners },
        payload: expect.objectContaining({
          title: 'acme-web dev: auto-sync has been paused for 5 h',
          description:
            'alice paused auto-sync of acme-web-dev on Argo CD instance main: incident INC-42. Argo CD does not deploy new commits to it until someone resumes auto-sync.',
          link: owners.link,
          scope:
            'gitops-auto-sync-paused:main:argocd/acme-web-dev:2026-12-04T10:00:00Z',
        }),
      },
    ]);
    expect(
      s.fake.getApplication('acme-web-dev')!.metadata.annotations,
    ).toMatchObject({
      'kupe.cloud/auto-sync-pause-reminded-at': '2026-12-04T15:00:00Z',
      'kupe.cloud/auto-sync-paused-reason': 'incident INC-42',
    });
    // Every replica reads the record from the Application: no second reminder.
    expect(await s.reminder.run()).toBe(0);
    expect(s.sent).toHaveLength(1);
  });

  it('waits for remindAfter, can be turned off, and sends nothing where nobody owns the app', async () => {
    const early = setup();
    stop = early.stop;
    early.pause('2026-12-04T12:00:00Z');
    expect(await early.reminder.run()).toBe(0);
    early.stop();

    const off = setup({ remindAfterMs: false });
    stop = off.stop;
    off.pause('2026-12-01T12:00:00Z');
    expect(await off.reminder.run()).toBe(0);
    off.stop();

    const orphan = setup();
    stop = orphan.stop;
    orphan.recipientsOf.mockResolvedValue(undefined as never);
    orphan.pause('2026-12-01T12:00:00Z');
    expect(await orphan.reminder.run()).toBe(0);
    expect(
      orphan.fake.getApplication('acme-web-dev')!.metadata.annotations?.[
        'kupe.cloud/auto-sync-pause-reminded-at'
      ],
    ).toBeUndefined();
    expect([...early.sent, ...off.sent, ...orphan.sent]).toEqual([]);
  });

  it('removes the pause record once auto-sync was turned back on in Argo CD', async () => {
    const s = setup();
    stop = s.stop;
    s.pause('2026-12-04T10:00:00Z');
    s.fake.updateApplication('acme-web-dev', a => {
      a.spec.syncPolicy!.automated!.enabled = true;
    });
    expect(await s.reminder.run()).toBe(0);
    const app = s.fake.getApplication('acme-web-dev')!;
    expect(
      Object.keys(app.metadata.annotations ?? {}).filter(k =>
        k.startsWith('kupe.cloud/auto-sync-pause'),
      ),
    ).toEqual([]);
    expect(app.spec.syncPolicy?.automated).toEqual({
      prune: true,
      enabled: true,
    });
    expect(s.sent).toEqual([]);
  });
});

describe('readAutoSyncPauseOptions', () => {
  it('defaults to 4 h and 5 min, reads durations, and turns off with false', () => {
    expect(readAutoSyncPauseOptions(new ConfigReader({}))).toEqual({
      remindAfterMs: 4 * 3_600_000,
      checkIntervalMs: 5 * 60_000,
    });
    expect(
      readAutoSyncPauseOptions(
        new ConfigReader({
          gitops: {
            automationPause: { remindAfter: '30m', checkInterval: '1m' },
          },
        }),
      ),
    ).toEqual({ remindAfterMs: 30 * 60_000, checkIntervalMs: 60_000 });
    expect(
      readAutoSyncPauseOptions(
        new ConfigReader({
          gitops: { automationPause: { remindAfter: false } },
        }),
      ).remindAfterMs,
    ).toBe(false);
  });
});
