import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  type AuthorizeRequestOptions,
} from '@backstage/plugin-permission-common';
import { gitOpsApplicationReadPermission } from '@kupe/plugin-gitops-common';
import express from 'express';
import request from 'supertest';
import {
  type Harness,
  startHarness,
  users,
} from '../__testUtils__/gitopsBackend';
import { spec } from '../schema/openapi';
import type { ApplicationAccess } from '../service/ApplicationAccess';
import {
  APPLICATION_PATH,
  ApplicationGate,
  documentedApplicationOperations,
  documentedPermission,
} from './applicationGate';

const SHA = 'a'.repeat(40);

/**
 * A valid request for every per-application operation of the document: what passes the
 * request validator, so the gate is what answers. A new operation needs a line here (the first
 * test fails until it has one).
 */
const requests: Record<string, { query?: string; body?: object }> = {
  [`GET ${APPLICATION_PATH}`]: {},
  [`GET ${APPLICATION_PATH}/resources`]: {},
  [`POST ${APPLICATION_PATH}/sync`]: { body: { dryRun: true } },
  [`POST ${APPLICATION_PATH}/refresh`]: { body: {} },
  [`POST ${APPLICATION_PATH}/terminate`]: {},
  [`POST ${APPLICATION_PATH}/rollback`]: { body: { id: 0, dryRun: true } },
  [`GET ${APPLICATION_PATH}/promotion`]: {},
  [`POST ${APPLICATION_PATH}/promote`]: { body: {} },
  [`GET ${APPLICATION_PATH}/revert-plan`]: { query: `toRevision=${SHA}` },
  [`POST ${APPLICATION_PATH}/revert`]: { body: { toRevision: SHA } },
  [`POST ${APPLICATION_PATH}/auto-sync/pause`]: { body: { reason: 'INC-1' } },
  [`POST ${APPLICATION_PATH}/auto-sync/resume`]: {},
  [`GET ${APPLICATION_PATH}/rollouts`]: {},
  [`GET ${APPLICATION_PATH}/applicationset`]: {},
  [`GET ${APPLICATION_PATH}/argo-rollouts`]: {},
  [`GET ${APPLICATION_PATH}/logs`]: { query: 'namespace=web&pod=web-0' },
  [`GET ${APPLICATION_PATH}/pods`]: {},
  [`GET ${APPLICATION_PATH}/resource-events`]: {},
  ...Object.fromEntries(
    ['abort', 'promote', 'promote-full', 'retry'].map(action => [
      `POST ${APPLICATION_PATH}/argo-rollouts/{rolloutNamespace}/{rollout}/${action}`,
      {},
    ]),
  ),
};

const operations = documentedApplicationOperations();

async function call(h: Harness, operation: string, app: string) {
  const [method, template] = operation.split(' ');
  const { query, body } = requests[operation];
  const url = `/api/gitops${template
    .replace('{instance}', 'main')
    .replace('{name}', app)
    .replace('{rolloutNamespace}', 'web')
    .replace('{rollout}', 'web')}${query ? `?${query}` : ''}`;
  const req = request(h.server)
    [method === 'GET' ? 'get' : 'post'](url)
    .set('Authorization', mockCredentials.user.header(users.alice));
  return body === undefined ? req : req.send(body);
}

/** The audit events one call recorded. */
async function audited(h: Harness, fn: () => Promise<unknown>) {
  const before = h.audits.length;
  await fn();
  return h.audits.slice(before) as Array<{
    options: { eventId: string; meta: Record<string, unknown> };
    outcome?: { status: string };
  }>;
}

function expectNoCredential(h: Harness, value: unknown) {
  const text = JSON.stringify(value);
  const userToken = mockCredentials.user
    .header(users.alice)
    .replace(/^Bearer /, '');
  for (const secret of [...h.secrets, userToken])
    expect(text).not.toContain(secret);
}

describe('the application gate', () => {
  let h: Harness;
  /** The permission the policy denies; every other is allowed. */
  let denied: string | undefined;
  const authorized: AuthorizeRequestOptions[] = [];

  beforeAll(async () => {
    h = await startHarness({
      permissions: mockServices.permissions.mock({
        authorize: async asked => {
          authorized.push(...(asked as AuthorizeRequestOptions[]));
          return asked.map(r => ({
            result:
              r.permission.name === denied
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          }));
        },
        authorizeConditional: async asked =>
          asked.map(() => ({ result: AuthorizeResult.ALLOW })),
      }),
    });
  }, 30_000);
  afterAll(async () => h.stop());
  beforeEach(() => {
    denied = undefined;
    authorized.length = 0;
  });

  it('covers every per-application operation of the document, each naming its permission', () => {
    expect(operations.sort()).toEqual(Object.keys(requests).sort());
    for (const operation of operations) {
      const [method, path] = operation.split(' ');
      // An application's own permissions, or its Argo Rollouts' (same resource type)
      expect(documentedPermission(path, method.toLowerCase()).name).toMatch(
        /^gitops\.(application|rollout)\./,
      );
    }
  });

  it.each(operations)(
    '%s: another tenant’s app is a 404 like a missing one, nothing reaches Argo CD, and the refusal is audited',
    async operation => {
      h.fake.clearRequests();
      let foreign: request.Response | undefined;
      const events = await audited(h, async () => {
        foreign = await call(h, operation, 'globex-shop-dev');
      });
      const missing = await call(h, operation, 'no-such-app');
      expect(foreign!.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(foreign!.body.error).toEqual({
        ...missing.body.error,
        message: missing.body.error.message.replace(
          'no-such-app',
          'globex-shop-dev',
        ),
      });
      expect(
        h.fake.requests.filter(r => r.path.includes('globex-shop')),
      ).toEqual([]);
      expect(events).toEqual([
        expect.objectContaining({
          options: expect.objectContaining({
            meta: expect.objectContaining({
              instance: 'main',
              name: 'globex-shop-dev',
            }),
          }),
          outcome: expect.objectContaining({ status: 'failed' }),
        }),
      ]);
      expectNoCredential(h, events);
    },
  );

  it.each(operations)(
    '%s: checks the permission the document names, on the app, before the route runs',
    async operation => {
      const [method, path] = operation.split(' ');
      const permission = documentedPermission(path, method.toLowerCase());
      denied = permission.name;
      h.fake.clearRequests();
      let res: request.Response | undefined;
      const events = await audited(h, async () => {
        res = await call(h, operation, 'acme-web-prod');
      });
      // A denied read hides the app; a denied action on a visible app is a 403.
      expect(res!.status).toBe(
        permission.name === gitOpsApplicationReadPermission.name ? 404 : 403,
      );
      expect(authorized).toContainEqual(
        expect.objectContaining({
          permission: expect.objectContaining({ name: permission.name }),
          resourceRef: 'main:argocd/acme-web-prod',
        }),
      );
      expect(
        h.fake.requests.filter(r => r.path.includes('acme-web-prod')),
      ).toEqual([]);
      expect(events).toHaveLength(1);
      expect(events[0].outcome?.status).toBe('failed');
      expectNoCredential(h, events);
    },
  );
});

describe('ApplicationGate', () => {
  const gate = () =>
    new ApplicationGate({
      router: express.Router(),
      httpAuth: mockServices.httpAuth(),
      auditor: mockServices.auditor.mock(),
      access: {} as ApplicationAccess,
    });

  it('refuses to finish a router that leaves a per-application operation ungated', () => {
    const partial = gate();
    partial.get(APPLICATION_PATH, {
      audit: { eventId: 'application-read' },
      handle: async () => ({}),
    });
    expect(() => partial.assertComplete()).toThrow(
      `Per-application operations without a gated route: GET ${APPLICATION_PATH}/resources`,
    );
  });

  it('refuses an operation twice, and one the document gives no application permission', () => {
    const twice = gate();
    const op = { audit: { eventId: 'x' }, handle: async () => ({}) };
    twice.get(APPLICATION_PATH, op);
    expect(() => twice.get(APPLICATION_PATH, op)).toThrow(/gated twice/);
    expect(Object.keys(spec.paths)).toContain('/tenants');
    expect(() => documentedPermission('/tenants', 'get')).toThrow(
      /needs x-gitops-permission/,
    );
  });
});
