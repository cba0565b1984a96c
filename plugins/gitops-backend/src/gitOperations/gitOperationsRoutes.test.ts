import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  gitOpsApplicationPromotePermission,
  gitOpsApplicationRollbackPermission,
} from '@kupe/plugin-gitops-common';
import { GitWorkingCopy } from '@kupe/plugin-gitops-node';
import Ajv from 'ajv';
import fs from 'node:fs';
import path, { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import request from 'supertest';
import { parse } from 'yaml';
import {
  type World,
  startGitOperationsWorld,
  users,
  app,
  as,
} from './__testUtils__/gitOperationsWorld';

// Every answer is checked against the route's documented schema.
const spec = parse(
  fs.readFileSync(path.join(__dirname, '../schema/openapi.yaml'), 'utf8'),
);
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema({ components: spec.components }, 'openapi');
function expectDocumented(
  method: 'get' | 'post',
  route: string,
  res: { status: number; body: unknown },
) {
  const operation =
    spec.paths[`/instances/{instance}/applications/{name}/${route}`][method];
  const response = operation.responses[String(res.status)] ?? {
    $ref: '#/components/responses/Error',
  };
  const schema = response.$ref
    ? spec.components.responses.Error.content['application/json'].schema
    : response.content['application/json'].schema;
  const validate = ajv.getSchema(`openapi${schema.$ref}`)!;
  validate(res.body);
  expect(validate.errors ?? []).toEqual([]);
}

// Real git over real repositories (and HTTP): seconds per test on a loaded machine.
jest.setTimeout(60_000);

/** Files changed between two commits of the bare repository. */
async function changedBetween(w: World, from: string, to: string) {
  return (await w.git(['diff', '--name-only', from, to]))
    .split('\n')
    .filter(Boolean)
    .sort();
}

/** Object id of a path at a revision ('' when absent). */
async function objectAt(w: World, revision: string, file: string) {
  try {
    return (await w.git(['rev-parse', `${revision}:${file}`])).trim();
  } catch {
    return '';
  }
}

const headOf = async (w: World) =>
  (await w.git(['rev-parse', 'refs/heads/main'])).trim();

describe('rollback by revert', () => {
  let w: World;
  beforeEach(async () => {
    w = await startGitOperationsWorld();
  });
  afterEach(() => w.stop());

  it('plans a revert: the commits after the revision on the app files, newest first, and the diff', async () => {
    const [c1, c2, , c4] = w.shas;
    const res = await request(w.server)
      .get(`${app('acme-web-dev')}/revert-plan?toRevision=${c1.slice(0, 10)}`)
      .set(as(users.alice));
    expect(res.status).toBe(200);
    expectDocumented('get', 'revert-plan', res);
    expect(res.body).toMatchObject({
      toRevision: c1,
      head: w.shas[4],
      branch: 'main',
      environment: 'dev',
      directCommitAllowed: true,
      pullRequestAvailable: false,
      files: [
        'apps/acme-web/overlays/dev/config.yaml',
        'apps/acme-web/overlays/dev/kustomization.yaml',
      ],
    });
    expect(res.body.commits.map((c: { sha: string }) => c.sha)).toEqual([
      c4,
      c2,
    ]);
    expect(res.body.commits[0]).toMatchObject({
      authorName: 'Alice Schmidt',
      message: 'Ship acme-web 1.5.0 to dev with a config map',
      files: [
        'apps/acme-web/overlays/dev/config.yaml',
        'apps/acme-web/overlays/dev/kustomization.yaml',
      ],
    });
    expect(res.body.diff).toContain(
      '-    newTag: "1.5.0"\n+    newTag: "1.3.0"',
    );
    expect(res.body.diff).toContain('deleted file mode');
    // Planning writes nothing.
    expect(await headOf(w)).toBe(w.shas[4]);
  });

  it('commits the exact inverse directly in dev: the app files equal the revision, nothing else changes', async () => {
    const [c1, c2, , c4, c5] = w.shas;
    const res = await request(w.server)
      .post(`${app('acme-web-dev')}/revert`)
      .set(as(users.alice))
      .send({ toRevision: c1, directCommit: true });
    expect(res.status).toBe(200);
    expectDocumented('post', 'revert', res);
    const head = await headOf(w);
    expect(res.body).toEqual({
      delivery: 'direct-commit',
      branch: 'main',
      commitSha: head,
      revertedCommits: [c4, c2],
      changedFiles: [
        'apps/acme-web/overlays/dev/config.yaml',
        'apps/acme-web/overlays/dev/kustomization.yaml',
      ],
    });
    expect((await w.git(['rev-parse', `${head}^`])).trim()).toBe(c5);
    expect(await objectAt(w, head, 'apps/acme-web/overlays/dev')).toBe(
      await objectAt(w, c1, 'apps/acme-web/overlays/dev'),
    );
    expect(await changedBetween(w, c5, head)).toEqual(res.body.changedFiles);
    // Applying the revert on top of the reverted changes gives back the old tree of the app.
    expect(await changedBetween(w, c1, head)).not.toContain(
      'apps/acme-web/overlays/dev/kustomization.yaml',
    );
    const message = await w.git(['log', '-1', '--format=%B', head]);
    expect(message).toContain(`Revert acme-web-dev to ${c1.slice(0, 7)}`);
    expect(message).toContain(c4);
    expect(message).toContain(c2);
    expect(message).toContain(`Requested-by: ${users.alice}`);

    const audit = w.audits.find(a => a.eventId === 'application-revert');
    expect(audit).toMatchObject({
      meta: {
        instance: 'main',
        name: 'acme-web-dev',
        toRevision: c1,
        directCommit: true,
      },
      outcome: {
        status: 'succeeded',
        meta: { delivery: 'direct-commit', commitSha: head, branch: 'main' },
      },
    });
    const recorded = JSON.stringify({ audits: w.audits, logs: w.logs });
    for (const secret of w.secrets) expect(recorded).not.toContain(secret);

    // Nothing left to revert: a clear 409, nothing committed.
    const again = await request(w.server)
      .post(`${app('acme-web-dev')}/revert`)
      .set(as(users.alice))
      .send({ toRevision: c1, directCommit: true });
    expect(again.status).toBe(409);
    expectDocumented('post', 'revert', again);
    expect(again.body.error.message).toMatch(/nothing to revert/);
    expect(await headOf(w)).toBe(head);
  });

  it('reverts only its own values in a Helm chart directory shared by the environments', async () => {
    await w.stop();
    w = await startGitOperationsWorld({
      directCommitEnvironments: ['dev', 'staging'],
    });
    const [c1, , , , c5] = w.shas;
    const plan = await request(w.server)
      .get(`${app('acme-api-staging')}/revert-plan?toRevision=${c1}`)
      .set(as(users.alice));
    expect(plan.status).toBe(200);
    // c2 touched values-dev, c3 values-prod only: neither is staging's.
    expect(plan.body.commits.map((c: { sha: string }) => c.sha)).toEqual([c5]);
    expect(plan.body.commits[0].files).toEqual([
      'apps/acme-api/templates/deployment.yaml',
      'apps/acme-api/values-staging.yaml',
    ]);
    expect(plan.body.files).toEqual(plan.body.commits[0].files);
    expect(plan.body.directCommitAllowed).toBe(true);
    expect(plan.body.diff).not.toMatch(/values-(prod|dev)/);

    const res = await request(w.server)
      .post(`${app('acme-api-staging')}/revert`)
      .set(as(users.alice))
      .send({ toRevision: c1, directCommit: true });
    expect(res.status).toBe(200);
    const head = await headOf(w);
    expect(await changedBetween(w, c5, head)).toEqual([
      'apps/acme-api/templates/deployment.yaml',
      'apps/acme-api/values-staging.yaml',
    ]);
    for (const file of [
      'apps/acme-api/templates/deployment.yaml',
      'apps/acme-api/values-staging.yaml',
      'apps/acme-api/values.yaml',
      'apps/acme-api/Chart.yaml',
    ]) {
      expect(await objectAt(w, head, file)).toBe(await objectAt(w, c1, file));
    }
    // The other environments keep their values (prod changed twice since c1).
    for (const file of [
      'apps/acme-api/values-prod.yaml',
      'apps/acme-api/values-dev.yaml',
    ]) {
      expect(await objectAt(w, head, file)).toBe(await objectAt(w, c5, file));
    }
    expect(await objectAt(w, head, 'apps/acme-api/values-prod.yaml')).not.toBe(
      await objectAt(w, c1, 'apps/acme-api/values-prod.yaml'),
    );
  });

  it('refuses direct commits where the policy does not allow them, and pull requests without a GitHub integration', async () => {
    const [c1] = w.shas;
    const prod = await request(w.server)
      .post(`${app('acme-web-prod')}/revert`)
      .set(as(users.alice))
      .send({ toRevision: c1, directCommit: true });
    expect(prod.status).toBe(409);
    expect(prod.body.error.message).toMatch(
      /production changes always go through an approved pull request/,
    );
    const staging = await request(w.server)
      .post(`${app('acme-api-staging')}/revert`)
      .set(as(users.alice))
      .send({ toRevision: c1, directCommit: true });
    expect(staging.status).toBe(409);
    expect(staging.body.error.message).toMatch(/allowed in: dev/);
    const pr = await request(w.server)
      .post(`${app('acme-api-staging')}/revert`)
      .set(as(users.alice))
      .send({ toRevision: c1 });
    expect(pr.status).toBe(409);
    expect(pr.body.error.message).toMatch(
      /Pull requests need a GitHub integration/,
    );
    expect(await headOf(w)).toBe(w.shas[4]);
    expect(
      w.audits.filter(a => a.eventId === 'application-revert'),
    ).toHaveLength(3);
    expect(
      w.audits.every(
        a => (a.outcome as { status: string }).status === 'failed',
      ),
    ).toBe(true);
  });

  it('follows HEAD to the default branch, and refuses apps pinned to a commit', async () => {
    const [c1] = w.shas;
    const head = await request(w.server)
      .get(`${app('acme-head-dev')}/revert-plan?toRevision=${c1}`)
      .set(as(users.alice));
    expect(head.status).toBe(200);
    expect(head.body.branch).toBe('main');
    const pinned = await request(w.server)
      .get(`${app('acme-pinned-dev')}/revert-plan?toRevision=${c1}`)
      .set(as(users.alice));
    expect(pinned.status).toBe(409);
    expect(pinned.body.error.message).toMatch(/not a branch/);
  });

  it.each([
    ['HEAD~1', 'query'],
    ['--upload-pack=touch', 'query'],
    ['zzzzzzz', 'query'],
    ['abc', 'query'],
  ])('answers 400 for toRevision %s', async toRevision => {
    const res = await request(w.server)
      .get(
        `${app('acme-web-dev')}/revert-plan?toRevision=${encodeURIComponent(
          toRevision,
        )}`,
      )
      .set(as(users.alice));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/commit SHA/);
  });

  it('answers 400 for unknown commits, commits outside the branch history and bad bodies', async () => {
    const unknown = await request(w.server)
      .post(`${app('acme-web-dev')}/revert`)
      .set(as(users.alice))
      .send({ toRevision: 'a'.repeat(40), directCommit: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(
      /is not a commit of branch main/,
    );

    // A commit that exists in the repository but is not on main.
    const side = (
      await w.git(['commit-tree', '-m', 'side', `${w.shas[0]}^{tree}`])
    ).trim();
    await w.git(['update-ref', 'refs/heads/side', side]);
    const outside = await request(w.server)
      .get(`${app('acme-web-dev')}/revert-plan?toRevision=${side}`)
      .set(as(users.alice));
    expect(outside.status).toBe(400);

    for (const body of [
      {},
      { toRevision: w.shas[0], extra: 1 },
      { toRevision: w.shas[0], directCommit: 'yes' },
    ]) {
      const res = await request(w.server)
        .post(`${app('acme-web-dev')}/revert`)
        .set(as(users.alice))
        .send(body);
      expect(res.status).toBe(400);
    }
    expect(await headOf(w)).toBe(w.shas[4]);
  });

  it('answers 404 for another tenant before any git access, and 404 for unknown apps', async () => {
    const plan = await request(w.server)
      .get(`${app('globex-shop-dev')}/revert-plan?toRevision=${w.shas[0]}`)
      .set(as(users.alice));
    expect(plan.status).toBe(404);
    const revert = await request(w.server)
      .post(`${app('globex-shop-dev')}/revert`)
      .set(as(users.alice))
      .send({ toRevision: w.shas[0], directCommit: true });
    expect(revert.status).toBe(404);
    const preview = await request(w.server)
      .get(`${app('globex-shop-dev')}/promotion`)
      .set(as(users.alice));
    expect(preview.status).toBe(404);
    const promote = await request(w.server)
      .post(`${app('globex-shop-dev')}/promote`)
      .set(as(users.alice))
      .send({});
    expect(promote.status).toBe(404);
    const missing = await request(w.server)
      .get(`${app('nope')}/promotion`)
      .set(as(users.alice));
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe(
      preview.body.error.message.replace('globex-shop-dev', 'nope'),
    );
    // The globex repository does not exist: a git access would have failed differently.
    expect(w.logs.join('\n')).not.toMatch(/globex-does-not-exist/);
  });
});

describe('permissions', () => {
  let w: World;
  afterEach(() => w.stop());

  it('answers 403 without rollback or promote permission, and audits the refusal', async () => {
    const permissions = mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(r => ({
          result:
            r.permission.name === gitOpsApplicationRollbackPermission.name ||
            r.permission.name === gitOpsApplicationPromotePermission.name
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })),
    });
    w = await startGitOperationsWorld({ permissions });
    const revert = await request(w.server)
      .post(`${app('acme-web-dev')}/revert`)
      .set(as(users.alice))
      .send({ toRevision: w.shas[0], directCommit: true });
    expect(revert.status).toBe(403);
    const promote = await request(w.server)
      .post(`${app('acme-web-dev')}/promote`)
      .set(as(users.alice))
      .send({});
    expect(promote.status).toBe(403);
    // Reading is still allowed.
    const plan = await request(w.server)
      .get(`${app('acme-web-dev')}/revert-plan?toRevision=${w.shas[0]}`)
      .set(as(users.alice));
    expect(plan.status).toBe(200);
    expect(await headOf(w)).toBe(w.shas[4]);
    expect(
      w.audits.map(a => [a.eventId, (a.outcome as { status: string }).status]),
    ).toEqual([
      ['application-revert', 'failed'],
      ['application-promote', 'failed'],
    ]);
  });
});

describe('promotion permission of the next environment', () => {
  let w: World;
  afterEach(() => w.stop());

  it('answers 403 when the caller may not promote into the next environment, before any git access', async () => {
    // A policy that keeps production promotions to someone else.
    const permissions = mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(r => ({
          result:
            r.permission.name === gitOpsApplicationPromotePermission.name &&
            'resourceRef' in r &&
            r.resourceRef === 'main:argocd/acme-web-prod'
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })),
    });
    w = await startGitOperationsWorld({ permissions });
    const prod = await request(w.server)
      .post(`${app('acme-web-staging')}/promote`)
      .set(as(users.alice))
      .send({});
    expect(prod.status).toBe(403);
    expect(prod.body.error.message).toMatch(
      /promote application "acme-web-prod"/,
    );
    // dev to staging passes the permission checks and stops at the missing GitHub integration.
    const staging = await request(w.server)
      .post(`${app('acme-web-dev')}/promote`)
      .set(as(users.alice))
      .send({});
    expect(staging.status).toBe(409);
    expect(w.audits.map(a => (a.outcome as { status: string }).status)).toEqual(
      ['failed', 'failed'],
    );
  });
});

describe('promotion', () => {
  let w: World;
  beforeAll(async () => {
    w = await startGitOperationsWorld();
  });
  afterAll(() => w.stop());

  it('previews kustomize dev to staging: versions, commits between, the change and the overlay diff', async () => {
    const [c1, c2, , c4] = w.shas;
    const res = await request(w.server)
      .get(`${app('acme-web-dev')}/promotion`)
      .set(as(users.alice));
    expect(res.status).toBe(200);
    expectDocumented('get', 'promotion', res);
    expect(res.body).toMatchObject({
      application: {
        instance: 'main',
        appNamespace: 'argocd',
        name: 'acme-web-dev',
      },
      environment: 'dev',
      version: {
        layout: 'kustomize',
        revision: c4,
        images: [{ name: 'registry.acme.example/acme-web', tag: '1.5.0' }],
        label: 'acme-web:1.5.0',
        files: ['apps/acme-web/overlays/dev/kustomization.yaml'],
      },
      next: {
        application: { name: 'acme-web-staging' },
        environment: 'staging',
        version: { revision: c1, label: 'acme-web:1.3.0' },
        syncPolicy: 'auto-self-heal',
      },
      changes: [
        { name: 'registry.acme.example/acme-web', from: '1.3.0', to: '1.5.0' },
      ],
      files: ['apps/acme-web/overlays/staging/kustomization.yaml'],
      promotable: true,
      requiresApproval: false,
    });
    expect(res.body.commits.map((c: { sha: string }) => c.sha)).toEqual([
      c4,
      c2,
    ]);
    expect(res.body.diff).toContain(
      '--- a/apps/acme-web/overlays/staging/kustomization.yaml',
    );
    expect(res.body.diff).toContain(
      '-    newTag: "1.3.0"\n+    newTag: "1.5.0"',
    );
    expect(res.body.diff.match(/^diff --git/gm)).toHaveLength(1);
  });

  it('previews Helm dev to staging: only values-staging.yaml changes', async () => {
    const res = await request(w.server)
      .get(`${app('acme-api-dev')}/promotion`)
      .set(as(users.alice));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      version: {
        layout: 'helm',
        chartVersion: '0.4.0',
        images: [{ name: 'registry.acme.example/acme-api', tag: '1.9.0' }],
      },
      next: {
        application: { name: 'acme-api-staging' },
        environment: 'staging',
      },
      changes: [
        { name: 'registry.acme.example/acme-api', from: '1.7.5', to: '1.9.0' },
      ],
      files: ['apps/acme-api/values-staging.yaml'],
      promotable: true,
    });
    // The comment of the staging values file is kept.
    expect(res.body.diff).toContain(' # staging\n');
  });

  it('previews plain manifests dev to staging, the next app found by repository and service directory', async () => {
    const res = await request(w.server)
      .get(`${app('acme-shop-dev')}/promotion`)
      .set(as(users.alice));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      version: { layout: 'plain', label: 'acme-shop:3.1.0' },
      next: { application: { name: 'acme-shop-staging' } },
      files: ['apps/acme-shop/staging/deployment.yaml'],
      changes: [
        { name: 'registry.acme.example/acme-shop', from: '3.0.0', to: '3.1.0' },
      ],
    });
    expect(res.body.diff).toContain(
      '-          image: registry.acme.example/acme-shop:3.0.0\n+          image: registry.acme.example/acme-shop:3.1.0',
    );
    expect(res.body.diff.match(/^[-+] /gm)).toHaveLength(2);
  });

  it('marks production promotions as needing approval and has nothing after production', async () => {
    const staging = await request(w.server)
      .get(`${app('acme-web-staging')}/promotion`)
      .set(as(users.alice));
    expect(staging.body).toMatchObject({
      next: { environment: 'production' },
      requiresApproval: true,
      promotable: true,
      changes: [{ from: '1.2.0', to: '1.3.0' }],
    });
    const prod = await request(w.server)
      .get(`${app('acme-web-prod')}/promotion`)
      .set(as(users.alice));
    expect(prod.status).toBe(200);
    expectDocumented('get', 'promotion', prod);
    expect(prod.body.promotable).toBe(false);
    expect(prod.body.next).toBeUndefined();
    expect(prod.body.reason).toMatch(/No application of this service/);
  });

  it('says whether the next environment may sync now: a freeze there holds a merged promotion back', async () => {
    const open = await request(w.server)
      .get(`${app('acme-web-staging')}/promotion`)
      .set(as(users.alice));
    expect(open.body.next.syncWindows).toEqual({
      canSync: true,
      assigned: [],
      active: [],
    });

    const project = w.fake.getProject('tenant-acme')!;
    w.fake.putProject({
      ...project,
      spec: {
        ...project.spec,
        syncWindows: [
          {
            kind: 'deny',
            schedule: '* * * * *',
            duration: '1h',
            applications: ['*-prod'],
            description: 'Change freeze',
          },
        ],
      },
    });
    const frozen = await request(w.server)
      .get(`${app('acme-web-staging')}/promotion`)
      .set(as(users.alice));
    expect(frozen.status).toBe(200);
    expectDocumented('get', 'promotion', frozen);
    expect(frozen.body.promotable).toBe(true);
    expect(frozen.body.next.syncWindows).toMatchObject({
      canSync: false,
      // (the description comes from the project, read again after its 30 s cache)
      active: [{ kind: 'deny', schedule: '* * * * *', duration: '1h' }],
    });
    // Staging itself is outside the window.
    const staging = await request(w.server)
      .get(`${app('acme-web-dev')}/promotion`)
      .set(as(users.alice));
    expect(staging.body.next.syncWindows.canSync).toBe(true);
  });

  it('reports charts from a Helm repository without promoting them', async () => {
    const res = await request(w.server)
      .get(`${app('acme-charts-dev')}/promotion`)
      .set(as(users.alice));
    expect(res.status).toBe(200);
    expectDocumented('get', 'promotion', res);
    expect(res.body).toMatchObject({
      version: {
        layout: 'helm-repository',
        chart: 'nginx',
        chartVersion: '15.1.0',
        label: 'nginx 15.1.0',
        images: [],
        files: [],
      },
      next: {
        application: { name: 'acme-charts-staging' },
        version: { chartVersion: '15.0.0' },
      },
      promotable: false,
      files: [],
      diff: '',
    });
    expect(res.body.reason).toBe(
      "acme-charts-dev deploys chart nginx from a Helm repository: promote it by changing the next Application's targetRevision, not Git (acme-charts-staging runs nginx 15.0.0, acme-charts-dev nginx 15.1.0)",
    );
    const promote = await request(w.server)
      .post(`${app('acme-charts-dev')}/promote`)
      .set(as(users.alice))
      .send({});
    expect(promote.status).toBe(409);
    expect(promote.body.error.message).toMatch(/targetRevision, not Git/);
  });

  it('carries an umbrella chart version and its dependency versions over, with the lock', async () => {
    const [c1, c2] = w.shas;
    const res = await request(w.server)
      .get(`${app('acme-cache-dev')}/promotion`)
      .set(as(users.alice));
    expect(res.status).toBe(200);
    expectDocumented('get', 'promotion', res);
    const redis = (version: string) => ({
      name: 'redis',
      chart: 'redis',
      version,
      repository: 'https://charts.bitnami.com/bitnami',
    });
    expect(res.body).toMatchObject({
      version: {
        layout: 'helm',
        revision: c2,
        chartVersion: '0.2.0',
        chartDependencies: [redis('18.1.0')],
        images: [],
      },
      next: {
        application: { name: 'acme-cache-staging' },
        version: {
          chartVersion: '0.1.0',
          chartDependencies: [redis('18.0.0')],
        },
      },
      changes: [],
      chartChanges: [
        { kind: 'chart', name: 'acme-cache', from: '0.1.0', to: '0.2.0' },
        { kind: 'dependency', name: 'redis', from: '18.0.0', to: '18.1.0' },
      ],
      files: [
        'apps/acme-cache/staging/Chart.lock',
        'apps/acme-cache/staging/Chart.yaml',
      ],
      promotable: true,
    });
    // Edited in place (comment kept), and the lock becomes dev's, which pins the same dependencies.
    expect(res.body.diff).toContain(
      '-version: 0.1.0\n+version: 0.2.0\n dependencies:',
    );
    expect(res.body.diff).toContain(
      '-    version: 18.0.0 # pinned\n+    version: 18.1.0 # pinned',
    );
    const lockLines = async (revision: string, env: string) =>
      (await w.git(['show', `${revision}:apps/acme-cache/${env}/Chart.lock`]))
        .split('\n')
        .filter(l => /^( {2}version|digest):/.test(l));
    const [devVersion, devDigest] = await lockLines(c2, 'dev');
    const [stagingVersion, stagingDigest] = await lockLines(c1, 'staging');
    expect(devDigest).not.toBe(stagingDigest);
    expect(res.body.diff).toContain(
      `-${stagingVersion}\n-${stagingDigest}\n+${devVersion}\n+${devDigest}\n`,
    );
    expect(res.body.diff.match(/^diff --git/gm)).toHaveLength(2);
  });

  it('says why a chart version cannot be carried over, and promotes nothing then', async () => {
    // prod vendors its dependency under charts/: only helm dependency update can rebuild it.
    const res = await request(w.server)
      .get(`${app('acme-cache-staging')}/promotion`)
      .set(as(users.alice));
    expect(res.status).toBe(200);
    expectDocumented('get', 'promotion', res);
    expect(res.body).toMatchObject({
      next: { application: { name: 'acme-cache-prod' } },
      chartChanges: [
        { kind: 'chart', name: 'acme-cache', from: '0.0.9', to: '0.1.0' },
        { kind: 'dependency', name: 'redis', from: '17.9.0', to: '18.0.0' },
      ],
      files: [],
      diff: '',
      promotable: false,
      requiresApproval: true,
    });
    expect(res.body.reason).toBe(
      'The chart version of acme-cache-staging (version 0.1.0, redis 18.0.0) cannot be carried over to acme-cache-prod safely: apps/acme-cache/prod/charts holds vendored charts (apps/acme-cache/prod/charts/redis-17.9.0.tgz) that only helm dependency update can rebuild, which a promotion does not run',
    );
  });

  it('refuses to promote without a GitHub integration, before touching git, and audits it', async () => {
    const before = await headOf(w);
    const res = await request(w.server)
      .post(`${app('acme-web-dev')}/promote`)
      .set(as(users.alice))
      .send({});
    expect(res.status).toBe(409);
    expectDocumented('post', 'promote', res);
    expect(res.body.error.message).toMatch(
      /Pull requests need a GitHub integration.*promotions are always pull requests/,
    );
    const bad = await request(w.server)
      .post(`${app('acme-web-dev')}/promote`)
      .set(as(users.alice))
      .send({ environment: 'prod' });
    expect(bad.status).toBe(400);
    expect(await headOf(w)).toBe(before);
    expect(
      w.audits.filter(
        a =>
          a.eventId === 'application-promote' &&
          (a.meta as { name: string }).name === 'acme-web-dev',
      ),
    ).toEqual([
      expect.objectContaining({
        outcome: expect.objectContaining({ status: 'failed' }),
      }),
    ]);
  });
});

describe('promotion of a Helm chart directory shared by the environments', () => {
  let w: World;
  beforeAll(async () => {
    w = await startGitOperationsWorld();
  });
  afterAll(() => w.stop());

  it('promotes nothing when the shared chart has moved on at the branch head', async () => {
    // Promoting writes values-staging.yaml on the head, so staging would run the head's chart.
    const ok = await request(w.server)
      .get(`${app('acme-api-dev')}/promotion`)
      .set(as(users.alice));
    expect(ok.body).toMatchObject({ promotable: true, chartChanges: [] });

    const copy = await GitWorkingCopy.open({
      remoteUrl: pathToFileURL(w.acmeRepo).toString(),
      branch: 'main',
      dir: join(w.root, 'chart-bump'),
    });
    await copy.writeFiles({
      'apps/acme-api/Chart.yaml':
        'apiVersion: v2\nname: acme-api\nversion: 0.5.0\n',
    });
    await copy.commitIfChanged('acme-api chart 0.5.0', {
      name: 'Alice Schmidt',
      email: 'alice@acme.example',
    });
    await copy.push('main');
    const before = await headOf(w);

    const res = await request(w.server)
      .get(`${app('acme-api-dev')}/promotion`)
      .set(as(users.alice));
    expect(res.status).toBe(200);
    expectDocumented('get', 'promotion', res);
    expect(res.body).toMatchObject({
      version: { chartVersion: '0.4.0' },
      promotable: false,
      changes: [],
      files: [],
      diff: '',
    });
    expect(res.body.reason).toBe(
      'acme-api-staging shares the chart apps/acme-api/Chart.yaml with acme-api-dev: once promoted it runs the chart at the branch head (version 0.5.0), not the one acme-api-dev runs (version 0.4.0); sync acme-api-dev to the branch head first',
    );
    expect(await headOf(w)).toBe(before);
  });
});
