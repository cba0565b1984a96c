import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { waitFor } from '@kupe/plugin-gitops-node-test-utils';
import Ajv, { type ValidateFunction } from 'ajv';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import httpClient, { type IncomingMessage } from 'node:http';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import {
  type Harness,
  users,
  startHarness,
} from '../__testUtils__/gitopsBackend';
import { spec as generated } from './openapi';

const spec = parse(
  fs.readFileSync(path.join(__dirname, 'openapi.yaml'), 'utf8'),
);
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema({ components: spec.components }, 'openapi');

/** A schema of the document, with its refs resolved against the document. */
function compile(schema: { $ref?: string }): ValidateFunction {
  if (schema.$ref) {
    const validate = ajv.getSchema(`openapi${schema.$ref}`);
    if (!validate) throw new Error(`${schema.$ref} is not in the document`);
    return validate;
  }
  return ajv.compile(
    JSON.parse(
      JSON.stringify(schema).replace(/"\$ref":"#/g, '"$ref":"openapi#'),
    ),
  );
}
const schemaNamed = (name: string) =>
  compile({ $ref: `#/components/schemas/${name}` });

type Method = 'get' | 'post';

/**
 * The validator of an operation's answer with `status`. Error statuses must be declared by
 * the operation itself (not only through `default`), so the document says which errors a
 * route gives.
 */
function responseValidator(
  method: Method,
  template: string,
  status: number,
): ValidateFunction {
  const operation = spec.paths[template]?.[method];
  if (!operation) throw new Error(`${method} ${template} is not documented`);
  let response = operation.responses[String(status)];
  if (!response)
    throw new Error(
      `${method} ${template} does not declare status ${status} (declares ${Object.keys(
        operation.responses,
      ).join(', ')})`,
    );
  if (response.$ref)
    response = spec.components.responses[response.$ref.split('/').pop()];
  return compile(response.content['application/json'].schema);
}

function expectValid(validate: ValidateFunction, body: unknown) {
  const valid = validate(body);
  expect(validate.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
}

const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});

const APP = '/instances/{instance}/applications/{name}';
/** Requests without a valid user token. */
const NO_USER = 'none';

interface Case {
  method: Method;
  template: string;
  url: string;
  body?: unknown;
  user?: string;
  status: number;
}

async function call(h: Harness, c: Case) {
  let req = request(h.server)[c.method](`/api/gitops${c.url}`);
  req = req.set(
    c.user === NO_USER
      ? { Authorization: mockCredentials.none.header() }
      : as(c.user ?? users.alice),
  );
  const res =
    c.body === undefined ? await req : await req.send(c.body as object);
  if (res.status !== c.status)
    throw new Error(
      `${c.method} ${c.url} answered ${res.status} ${JSON.stringify(
        res.body,
      )}, expected ${c.status}`,
    );
  return res;
}

describe('openapi.yaml', () => {
  describe('with an allow-all policy', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness();
    });
    afterAll(async () => h.stop());

    const cases: Array<[string, Case]> = [
      [
        'entity applications',
        {
          method: 'get',
          template: '/entities/{namespace}/{kind}/{name}/applications',
          url: '/entities/default/component/acme-web/applications',
          status: 200,
        },
      ],
      [
        'detail',
        {
          method: 'get',
          template: APP,
          url: '/instances/main/applications/acme-web-prod',
          status: 200,
        },
      ],
      [
        'managed resources',
        {
          method: 'get',
          template: `${APP}/resources`,
          url: '/instances/main/applications/acme-web-prod/resources',
          status: 200,
        },
      ],
      [
        'sync (dry run)',
        {
          method: 'post',
          template: `${APP}/sync`,
          url: '/instances/main/applications/acme-web-prod/sync',
          body: { dryRun: true },
          status: 200,
        },
      ],
      [
        'refresh',
        {
          method: 'post',
          template: `${APP}/refresh`,
          url: '/instances/main/applications/acme-web-prod/refresh',
          body: { hard: false },
          status: 200,
        },
      ],
      [
        'tenants',
        { method: 'get', template: '/tenants', url: '/tenants', status: 200 },
      ],
      // 400: bad input never reaches Argo CD
      [
        'an overlong entity name',
        {
          method: 'get',
          template: '/entities/{namespace}/{kind}/{name}/applications',
          url: `/entities/default/component/${'a'.repeat(254)}/applications`,
          status: 400,
        },
      ],
      [
        'a path-traversing application name',
        {
          method: 'get',
          template: APP,
          url: '/instances/main/applications/..%2Fclusters',
          status: 400,
        },
      ],
      [
        'a query-injecting appNamespace',
        {
          method: 'get',
          template: `${APP}/resources`,
          url: '/instances/main/applications/acme-web-prod/resources?appNamespace=a%26project%3Dx',
          status: 400,
        },
      ],
      [
        'a sync body with a bad revision',
        {
          method: 'post',
          template: `${APP}/sync`,
          url: '/instances/main/applications/acme-web-prod/sync',
          body: { revision: '--upload-pack=evil' },
          status: 400,
        },
      ],
      [
        'a refresh body with an unknown field',
        {
          method: 'post',
          template: `${APP}/refresh`,
          url: '/instances/main/applications/acme-web-prod/refresh',
          body: { hard: true, extra: 1 },
          status: 400,
        },
      ],
      [
        'a terminate without a running operation (Argo CD’s refusal)',
        {
          method: 'post',
          template: `${APP}/terminate`,
          url: '/instances/main/applications/acme-web-prod/terminate',
          status: 400,
        },
      ],
      [
        'a rollback without id',
        {
          method: 'post',
          template: `${APP}/rollback`,
          url: '/instances/main/applications/acme-web-prod/rollback',
          body: {},
          status: 400,
        },
      ],
      [
        'events without entityRef',
        { method: 'get', template: '/events', url: '/events', status: 400 },
      ],
      [
        'events with a malformed entityRef',
        {
          method: 'get',
          template: '/events',
          url: '/events?entityRef=%3A%3A',
          status: 400,
        },
      ],
      // 401: no user
      [
        'no credentials',
        {
          method: 'get',
          template: '/tenants',
          url: '/tenants',
          user: NO_USER,
          status: 401,
        },
      ],
      // 404: not visible is the same as nonexistent
      [
        'another tenant’s application',
        {
          method: 'get',
          template: APP,
          url: '/instances/main/applications/globex-shop-dev',
          status: 404,
        },
      ],
      [
        'another tenant’s sync',
        {
          method: 'post',
          template: `${APP}/sync`,
          url: '/instances/main/applications/globex-shop-dev/sync',
          body: {},
          status: 404,
        },
      ],
      [
        'an unknown instance',
        {
          method: 'get',
          template: `${APP}/resources`,
          url: '/instances/nowhere/applications/acme-web-prod/resources',
          status: 404,
        },
      ],
      [
        'an unknown entity',
        {
          method: 'get',
          template: '/entities/{namespace}/{kind}/{name}/applications',
          url: '/entities/default/component/no-such-thing/applications',
          status: 404,
        },
      ],
      [
        'events of an unknown entity',
        {
          method: 'get',
          template: '/events',
          url: '/events?entityRef=component:default/no-such-thing',
          status: 404,
        },
      ],
      // 409: Argo CD would undo a rollback of an auto-synced app
      [
        'a rollback of an auto-synced app',
        {
          method: 'post',
          template: `${APP}/rollback`,
          url: '/instances/main/applications/acme-web-dev/rollback',
          body: { id: 0 },
          status: 409,
        },
      ],
    ];

    it.each(cases)('describes %s', async (_, c) => {
      const res = await call(h, c);
      expect(res.status).toBe(c.status);
      expectValid(responseValidator(c.method, c.template, c.status), res.body);
    });

    it('describes sync windows in the detail and a sync a window blocks (409)', async () => {
      const project = h.fake.getProject('tenant-globex')!;
      h.fake.putProject({
        ...project,
        spec: {
          ...project.spec,
          syncWindows: [
            {
              kind: 'deny',
              // Open all but the instant each minute starts; closes at the next minute.
              schedule: '* * * * *',
              duration: '1m',
              clusters: ['globex-prod'],
              description: 'Change freeze',
              timeZone: 'Europe/Berlin',
            },
            {
              kind: 'allow',
              schedule: '0 3 1 1 *',
              duration: '1h',
              applications: ['globex-*'],
              manualSync: true,
            },
          ],
        },
      });
      const detail = await call(h, {
        method: 'get',
        template: APP,
        url: '/instances/main/applications/globex-shop-prod',
        user: users.bob,
        status: 200,
      });
      expect(detail.body.syncWindows.canSync).toBe(false);
      expect(detail.body.syncWindows.active[0].activeUntil).toEqual(
        expect.any(String),
      );
      expectValid(responseValidator('get', APP, 200), detail.body);
      const blocked = await call(h, {
        method: 'post',
        template: `${APP}/sync`,
        url: '/instances/main/applications/globex-shop-prod/sync',
        body: { dryRun: true },
        user: users.bob,
        status: 409,
      });
      expectValid(responseValidator('post', `${APP}/sync`, 409), blocked.body);
      h.fake.putProject(project);
    });

    it('describes a rollback (dry run) to a history id of the detail', async () => {
      const detail = await call(h, {
        method: 'get',
        template: APP,
        url: '/instances/main/applications/acme-web-prod',
        status: 200,
      });
      const id = detail.body.history[0].id;
      const res = await call(h, {
        method: 'post',
        template: `${APP}/rollback`,
        url: '/instances/main/applications/acme-web-prod/rollback',
        body: { id, dryRun: true },
        status: 200,
      });
      expect(res.body.summary.name).toBe('acme-web-prod');
      expectValid(responseValidator('post', `${APP}/rollback`, 200), res.body);
    });

    it('describes the server-sent events: every data line of every event', async () => {
      const { port } = h.server.address() as { port: number };
      const req = httpClient.get(
        `http://localhost:${port}/api/gitops/events?entityRef=component:default/acme-web`,
        { headers: as(users.alice) },
      );
      try {
        const response = await new Promise<IncomingMessage>(resolve =>
          req.on('response', resolve),
        );
        expect(response.statusCode).toBe(200);
        const documented = spec.paths['/events'].get.responses['200'].content;
        expect(Object.keys(documented)).toEqual(['text/event-stream']);
        expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
        response.setEncoding('utf8');
        let text = '';
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        const frames = () =>
          text
            .split('\n\n')
            .slice(0, -1) // the last piece may be incomplete
            .filter(f => f.length > 0);
        const events = () => frames().filter(f => !f.startsWith(':'));
        await waitFor(
          'the first event',
          () => events().length >= 1 || undefined,
          5_000,
        );
        h.fake.updateApplication('acme-web-prod', app => {
          app.status!.health = { status: 'Degraded', message: 'crash loop' };
        });
        await waitFor(
          'the change and a heartbeat',
          () =>
            (events().length >= 2 && frames().some(f => f.startsWith(':'))) ||
            undefined,
          5_000,
        );

        const validators: Record<string, ValidateFunction> = {
          applications: schemaNamed('ApplicationsEvent'),
          error: schemaNamed('EventError'),
        };
        for (const frame of frames()) {
          if (frame.startsWith(':')) continue; // comment: heartbeat
          const lines = frame.split('\n');
          const event = lines.find(l => l.startsWith('event: '))?.slice(7);
          const data = lines
            .filter(l => l.startsWith('data: '))
            .map(l => l.slice(6))
            .join('\n');
          expect(Object.keys(validators)).toContain(event);
          expectValid(validators[event!], JSON.parse(data));
        }
        const last = JSON.parse(
          events()[events().length - 1].split('\ndata: ')[1],
        );
        expect(
          last.items.find((i: { name: string }) => i.name === 'acme-web-prod')
            .health,
        ).toEqual({ status: 'Degraded', message: 'crash loop' });
      } finally {
        req.destroy();
      }
    });
  });

  describe('with a policy denying sync and rollback', () => {
    let h: Harness;
    beforeAll(async () => {
      const permissions = mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(r => ({
            result:
              r.permission.name === 'gitops.application.read'
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
          })),
        authorizeConditional: async requests =>
          requests.map(() => ({ result: AuthorizeResult.ALLOW })),
      });
      h = await startHarness({ permissions });
    });
    afterAll(async () => h.stop());

    it.each([
      ['sync', { dryRun: true }],
      ['terminate', undefined],
      ['rollback', { id: 0, dryRun: true }],
    ])('describes the 403 of %s', async (action, body) => {
      const template = `${APP}/${action}`;
      const res = await call(h, {
        method: 'post',
        template,
        url: `/instances/main/applications/acme-web-prod/${action}`,
        body,
        status: 403,
      });
      expect(res.body.error.name).toBe('NotAllowedError');
      expectValid(responseValidator('post', template, 403), res.body);
    });
  });
});

describe('the generated router', () => {
  it('holds the document as openapi.yaml says it today, formatted as the generator writes it', () => {
    // What `backstage-repo-tools repo schema openapi validate` compares...
    expect(generated).toEqual(spec);
    // ...and the file itself: out of date? Run `yarn workspace @kupe/plugin-gitops-backend generate:openapi`.
    const packageDir = path.resolve(__dirname, '../..');
    const expected = execFileSync(
      process.execPath,
      [
        path.join(packageDir, 'scripts/generate-openapi-router.mjs'),
        '--stdout',
      ],
      { cwd: packageDir, encoding: 'utf8' },
    );
    expect(
      fs.readFileSync(
        path.join(__dirname, 'openapi/generated/router.ts'),
        'utf8',
      ),
    ).toBe(expected);
  }, 60_000);
});

describe('the routers and openapi.yaml', () => {
  it('documents every route that src/router registers outside the application gate', () => {
    const routerDir = path.join(__dirname, '../router');
    const registered = fs
      .readdirSync(routerDir)
      .filter(f => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .flatMap(f =>
        [
          ...fs
            .readFileSync(path.join(routerDir, f), 'utf8')
            .matchAll(
              /(?:router|api)\.(get|post|put|patch|delete)\(\s*'([^']+)'/g,
            ),
        ].map(([, method, route]) => ({
          method,
          template: route.replace(/:(\w+)/g, '{$1}'),
        })),
      );
    expect(registered.map(r => r.template).sort()).toEqual([
      '/entities/{namespace}/{kind}/{name}/applications',
      '/entities/{namespace}/{kind}/{name}/dora',
      '/entities/{namespace}/{kind}/{name}/quarantines',
      '/entities/{namespace}/{kind}/{name}/quarantines',
      '/entities/{namespace}/{kind}/{name}/quarantines/{id}/lift',
      '/events',
      '/quarantines/running',
      '/tenants',
      '/tenants/{tenant}/dora',
      '/tenants/{tenant}/quarantines',
    ]);
    const undocumented = registered.filter(
      r => !spec.paths[r.template]?.[r.method],
    );
    expect(undocumented).toEqual([]);
  });
});
