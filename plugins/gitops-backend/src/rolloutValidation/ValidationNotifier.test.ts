import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { TenantNaming } from '@kupe/plugin-gitops-common';
import { TenantResolver } from '@kupe/plugin-gitops-node';
import {
  TEST_IDENTITY_ORIGIN,
  buildGroup,
} from '@kupe/plugin-gitops-node-test-utils';
import { TeamRecipients } from '../notifications/TeamRecipients';
import { ValidationNotifier } from './ValidationNotifier';
import type { StoredRollout } from './RolloutStore';
import { indexed } from './__testUtils__/validationFixtures';

const group = (name: string, tenant: string): Entity =>
  buildGroup(name, { tenant });
const component = (
  name: string,
  owner: string,
  annotations: Record<string, string>,
  relations = true,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', lifecycle: 'production', owner },
  relations: relations
    ? [{ type: 'ownedBy', targetRef: `group:default/${owner}` }]
    : undefined,
});

function setup() {
  const catalog = catalogServiceMock({
    entities: [
      group('acme-team', 'acme'),
      group('globex-team', 'globex'),
      component('acme-web', 'acme-team', {
        'backstage.io/kubernetes-id': 'acme-web',
      }),
      // Legacy entity without relations: spec.owner is used.
      component(
        'acme-api',
        'acme-team',
        { 'argocd/app-name': 'acme-api-dev' },
        false,
      ),
      // A globex entity claiming an acme app by name: must not subscribe globex.
      component('sneaky', 'globex-team', {
        'argocd/app-name': 'acme-secret-dev',
      }),
    ],
  });
  const auth = mockServices.auth();
  const tenants = new TenantResolver({
    naming: new TenantNaming(),
    adminGroups: [],
    trustedOrigins: [TEST_IDENTITY_ORIGIN],
    catalog,
    userInfo: mockServices.userInfo(),
    auth,
  });
  const notifications = { send: jest.fn(async () => {}) };
  const logger = mockServices.logger.mock();
  const now = () => Date.parse('2026-11-26T12:20:00Z');
  const recipients = new TeamRecipients({
    catalog,
    auth,
    tenants,
    logger,
    defaultInstance: 'main',
    now,
  });
  const notifier = new ValidationNotifier({
    recipients,
    notifications,
    logger,
    now,
  });
  return { notifier, recipients, notifications };
}

const failedRollout: StoredRollout = {
  key: 'main/argocd/acme-web-staging@2026-11-26T12:00:00Z',
  instance: 'main',
  appNamespace: 'argocd',
  name: 'acme-web-staging',
  tenant: 'acme',
  environment: 'staging',
  revision: 'c0ffee0'.padEnd(40, '1'),
  startedAt: '2026-11-26T12:00:00.000Z',
  startedAtMs: Date.parse('2026-11-26T12:00:00Z'),
  bakeTimeMs: 120_000,
  outcome: 'failed',
  reason: 'Degraded: Back-off pulling image "ghcr.io/acme/web:broken"',
};

describe('ValidationNotifier', () => {
  it('tells the owning group that a rollout failed, with a link to the GitOps tab', async () => {
    const { notifier, notifications } = setup();
    expect(await notifier.rolloutFailed(failedRollout, indexed())).toBe(true);
    expect(notifications.send).toHaveBeenCalledTimes(1);
    expect(notifications.send).toHaveBeenCalledWith({
      recipients: { type: 'entity', entityRef: ['group:default/acme-team'] },
      payload: {
        title: 'acme-web staging rollout failed: Degraded',
        description:
          'acme-web-staging on Argo CD instance main, revision c0ffee0: Degraded: Back-off pulling image "ghcr.io/acme/web:broken"',
        link: '/catalog/default/component/acme-web/gitops?application=main%3Aargocd%2Facme-web-staging',
        severity: 'high',
        topic: 'gitops:main:argocd/acme-web-staging',
        scope: `gitops-rollout:${failedRollout.key}`,
      },
    });
  });

  it('falls back to spec.owner when the entity has no relations', async () => {
    const { recipients } = setup();
    const found = await recipients.recipientsOf(
      indexed({ name: 'acme-api-dev', labels: {} }),
    );
    expect(found?.owners).toEqual(['group:default/acme-team']);
  });

  it('never notifies a group of another tenant that annotated the app', async () => {
    const { notifier, recipients, notifications } = setup();
    const app = indexed({ name: 'acme-secret-dev', labels: {} });
    expect(await recipients.recipientsOf(app)).toBeUndefined();
    expect(await notifier.stillUnhealthy(app, 'degraded', 0)).toBe(false);
    expect(notifications.send).not.toHaveBeenCalled();
  });

  it('says how long an app has been Degraded', async () => {
    const { notifier, notifications } = setup();
    const since = Date.parse('2026-11-26T12:05:00Z');
    await notifier.stillUnhealthy(
      indexed({ healthStatus: 'Degraded', healthMessage: 'CrashLoopBackOff' }),
      'degraded',
      since,
    );
    expect(notifications.send).toHaveBeenCalledWith(
      expect.objectContaining({
        payload: expect.objectContaining({
          title: 'acme-web staging has been Degraded for 15 min',
          description:
            'acme-web-staging on Argo CD instance main is Degraded: CrashLoopBackOff',
          severity: 'high',
          scope: `gitops-degraded:main:argocd/acme-web-staging:${since}`,
        }),
      }),
    );
  });

  it('reminds that a manual-sync change waits for approval, without calling it drift', async () => {
    const { notifier, notifications } = setup();
    const since = Date.parse('2026-11-26T12:20:00Z') - 24 * 60 * 60_000;
    await notifier.stillUnhealthy(
      indexed({
        environment: 'production',
        name: 'acme-web-production',
        syncPolicy: 'manual',
        syncStatus: 'OutOfSync',
        revision: '0123456789abcdef0123456789abcdef01234567',
      }),
      'awaiting-sync',
      since,
    );
    expect(notifications.send).toHaveBeenCalledWith(
      expect.objectContaining({
        payload: expect.objectContaining({
          title:
            'acme-web production: a change has waited 1 day for sync approval',
          description:
            'acme-web-production on Argo CD instance main has a manual sync policy and is OutOfSync with revision 0123456; it deploys once someone syncs it.',
          severity: 'low',
          scope: `gitops-awaiting-sync:main:argocd/acme-web-production:${since}`,
        }),
      }),
    );
  });
});
