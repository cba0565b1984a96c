/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expectValid"] }] -- expectValid (below) asserts */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ArgoCdSwaggerValidator } from './argoCdSwaggerValidator';
import { call, readLines, seededFake, BASE } from '../__testUtils__/seededFake';
import { ArgoCdFake } from '../fake/ArgoCdFake';
import { buildApplication } from '../builders/buildApplication';
import { SimpleController } from '../fake/SimpleController';
import { previewSet } from '../__testUtils__/previewSet';
import { buildRollout } from '../builders/buildRollout';

const validator = new ArgoCdSwaggerValidator();

function expectValid(definition: string, value: unknown) {
  expect({ definition, errors: validator.validate(definition, value) }).toEqual(
    {
      definition,
      errors: [],
    },
  );
}

describe('the fake against Argo CD v3.5.1 swagger definitions', () => {
  it('accepts the real fixture and rejects wrongly typed values (the validator works)', () => {
    const real = JSON.parse(
      readFileSync(
        resolve(
          __dirname,
          '../__fixtures__/argocd/argocd-api-application-full-status.json',
        ),
        'utf8',
      ),
    );
    expectValid('v1alpha1Application', real);
    expect(
      validator.validate('v1alpha1Application', {
        ...real,
        status: {
          ...real.status,
          history: [{ id: 'one', deployedAt: 'yesterday' }],
        },
      }).length,
    ).toBeGreaterThanOrEqual(2);
    expect(validator.validate('runtimeError', { code: '7' })).not.toEqual([]);
  });

  it('validates every kind of success response', async () => {
    const { fake, controller, tokens } = seededFake();
    const t = { token: tokens.admin };
    const sha =
      fake.getApplication('acme-web-dev')!.status!.history![1].revision!;
    controller.commits.set(sha, {
      author: 'Alice <alice@acme.test>',
      date: '2026-01-05T09:59:00Z',
      message: 'Bump',
    });

    expectValid(
      'v1alpha1ApplicationList',
      (await call(fake, 'GET', '/api/v1/applications', t)).json,
    );
    expectValid(
      'v1alpha1ApplicationList',
      (
        await call(
          fake,
          'GET',
          '/api/v1/applications?fields=items.metadata.name,items.spec',
          t,
        )
      ).json,
    );
    expectValid(
      'v1alpha1Application',
      (await call(fake, 'GET', '/api/v1/applications/acme-web-dev', t)).json,
    );
    expectValid(
      'v1alpha1ApplicationTree',
      (
        await call(
          fake,
          'GET',
          '/api/v1/applications/acme-web-dev/resource-tree',
          t,
        )
      ).json,
    );
    expectValid(
      'applicationManagedResourcesResponse',
      (
        await call(
          fake,
          'GET',
          '/api/v1/applications/acme-web-dev/managed-resources',
          t,
        )
      ).json,
    );
    expectValid(
      'v1alpha1RevisionMetadata',
      (
        await call(
          fake,
          'GET',
          `/api/v1/applications/acme-web-dev/revisions/${sha}/metadata`,
          t,
        )
      ).json,
    );

    const sync = await call(
      fake,
      'POST',
      '/api/v1/applications/acme-web-prod/sync',
      {
        ...t,
        body: {
          prune: true,
          syncOptions: { items: ['CreateNamespace=true'] },
          strategy: { hook: {} },
        },
      },
    );
    expectValid('v1alpha1Application', sync.json);
    const terminate = await call(
      fake,
      'DELETE',
      '/api/v1/applications/acme-web-prod/operation',
      t,
    );
    expectValid('applicationOperationTerminateResponse', terminate.json);
    controller.flush();
    const rollback = await call(
      fake,
      'POST',
      '/api/v1/applications/acme-web-prod/rollback',
      {
        ...t,
        body: { id: 0 },
      },
    );
    expectValid('v1alpha1Application', rollback.json);
    controller.flush();
    const afterOps = await call(
      fake,
      'GET',
      '/api/v1/applications/acme-web-prod',
      t,
    );
    expectValid('v1alpha1Application', afterOps.json);
    expectValid(
      'eventsEventList',
      (await call(fake, 'GET', '/api/v1/applications/acme-web-prod/events', t))
        .json,
    );

    const created = await call(fake, 'POST', '/api/v1/applications', {
      ...t,
      body: {
        metadata: { name: 'acme-api-dev' },
        spec: {
          project: 'tenant-acme',
          source: {
            repoURL: 'https://git.example.com/acme/x.git',
            path: '.',
            targetRevision: 'main',
          },
          destination: { name: 'acme-dev', namespace: 'api' },
        },
      },
    });
    expectValid('v1alpha1Application', created.json);
    const deleted = await call(
      fake,
      'DELETE',
      '/api/v1/applications/acme-api-dev',
      t,
    );
    expectValid('applicationApplicationResponse', deleted.json);

    expectValid(
      'v1alpha1AppProjectList',
      (await call(fake, 'GET', '/api/v1/projects', t)).json,
    );
    const acme = fake.getProject('tenant-acme')!;
    fake.putProject({
      ...acme,
      spec: {
        ...acme.spec,
        syncWindows: [
          {
            kind: 'deny',
            schedule: '* * * * *',
            duration: '1h',
            clusters: ['acme-prod'],
            manualSync: true,
            timeZone: 'Europe/Berlin',
            description: 'Change freeze',
          },
          {
            kind: 'allow',
            schedule: '0 3 * * *',
            duration: '1h',
            applications: ['acme-*'],
          },
        ],
      },
    });
    for (const app of ['acme-web-prod', 'acme-web-dev', 'globex-shop-dev']) {
      const { json } = await call(
        fake,
        'GET',
        `/api/v1/applications/${app}/syncwindows`,
        t,
      );
      expectValid('applicationApplicationSyncWindowsResponse', json);
      // The swagger allows extra fields; Argo CD sends exactly these four per window.
      for (const w of [
        ...(json.assignedWindows ?? []),
        ...(json.activeWindows ?? []),
      ]) {
        expect(Object.keys(w).sort()).toEqual([
          'duration',
          'kind',
          'manualSync',
          'schedule',
        ]);
      }
    }
    expectValid(
      'v1alpha1AppProject',
      (await call(fake, 'GET', '/api/v1/projects/tenant-acme', t)).json,
    );
    expectValid(
      'projectDetailedProjectsResponse',
      (await call(fake, 'GET', '/api/v1/projects/tenant-acme/detailed', t))
        .json,
    );
    expectValid(
      'v1alpha1ClusterList',
      (await call(fake, 'GET', '/api/v1/clusters', t)).json,
    );
    expectValid(
      'sessionGetUserInfoResponse',
      (
        await call(fake, 'GET', '/api/v1/session/userinfo', {
          token: tokens.acme,
        })
      ).json,
    );
    expectValid(
      'versionVersionMessage',
      (await call(fake, 'GET', '/api/version')).json,
    );
    const session = await call(fake, 'POST', '/api/v1/session', {
      body: { username: 'admin', password: 'password' },
    });
    expectValid('sessionSessionResponse', session.json);
    expectValid(
      'sessionSessionResponse',
      (await call(fake, 'DELETE', '/api/v1/session')).json,
    );
    fake.close();
  });

  it('validates every error body as runtimeError', async () => {
    const { fake, tokens } = seededFake();
    const a = { token: tokens.admin };
    const errors = [
      await call(fake, 'GET', '/api/v1/applications'),
      await call(fake, 'GET', '/api/v1/applications/globex-shop-dev', {
        token: tokens.acme,
      }),
      await call(
        fake,
        'GET',
        '/api/v1/applications/globex-shop-dev?project=tenant-acme',
        { token: tokens.acme },
      ),
      await call(fake, 'POST', '/api/v1/applications/acme-web-dev/sync', {
        token: tokens.acmeViewer,
        body: {},
      }),
      await call(
        fake,
        'GET',
        '/api/v1/applications/acme-web-dev/revisions/main/metadata',
        a,
      ),
      await call(fake, 'POST', '/api/v1/applications/acme-web-dev/rollback', {
        ...a,
        body: { id: 0 },
      }),
      await call(
        fake,
        'DELETE',
        '/api/v1/applications/acme-web-prod/operation',
        a,
      ),
      await call(fake, 'POST', '/api/v1/applications', {
        ...a,
        body: {
          metadata: { name: 'x' },
          spec: { project: 'nope', destination: {} },
        },
      }),
      await call(fake, 'GET', '/api/v1/projects/tenant-nope', a),
      await call(fake, 'POST', '/api/v1/session', {
        body: { username: 'admin', password: 'no' },
      }),
    ];
    await call(fake, 'POST', '/api/v1/applications/acme-web-prod/sync', {
      ...a,
      body: {},
    });
    errors.push(
      await call(fake, 'POST', '/api/v1/applications/acme-web-prod/sync', {
        ...a,
        body: {},
      }),
    );
    const globex = fake.getProject('tenant-globex')!;
    fake.putProject({
      ...globex,
      spec: {
        ...globex.spec,
        syncWindows: [
          {
            kind: 'deny',
            schedule: '* * * * *',
            duration: '1h',
            namespaces: ['*'],
          },
        ],
      },
    });
    errors.push(
      await call(fake, 'POST', '/api/v1/applications/globex-shop-dev/sync', {
        ...a,
        body: {},
      }),
    );
    fake.putProject({
      ...globex,
      spec: {
        ...globex.spec,
        syncWindows: [
          {
            kind: 'deny',
            schedule: '* * * * 7',
            duration: '1h',
            namespaces: ['*'],
          },
        ],
      },
    });
    errors.push(
      await call(
        fake,
        'GET',
        '/api/v1/applications/globex-shop-dev/syncwindows',
        a,
      ),
    );
    expect(errors.map(e => e.status)).toEqual([
      401, 403, 404, 403, 500, 400, 400, 400, 404, 401, 400, 403, 500,
    ]);
    for (const e of errors) {
      expectValid('runtimeError', e.json);
      expect(Object.keys(e.json).sort()).toEqual(['code', 'error', 'message']);
      expect(e.json.error).toBe(e.json.message);
    }
    fake.close();
  });

  it('validates stream results and the stream error line', async () => {
    const { fake, tokens } = seededFake();
    const response = await fake.handle(
      new Request(`${BASE}/api/v1/stream/applications`, {
        headers: { authorization: `Bearer ${tokens.admin}` },
      }),
    );
    const reader = response.body!.getReader();
    const buffer = { text: '' };
    const lines = await readLines(reader, 4, buffer);
    fake.updateApplication('acme-web-dev', a => {
      a.status = { ...a.status, reconciledAt: '2026-02-01T00:00:00Z' };
    });
    lines.push(...(await readLines(reader, 1, buffer)));
    fake.failStreams(14, 'transport is closing');
    lines.push(...(await readLines(reader, 1, buffer)));
    expect(lines.map(l => l.result?.type ?? 'error')).toEqual([
      'ADDED',
      'ADDED',
      'ADDED',
      'ADDED',
      'MODIFIED',
      'error',
    ]);
    for (const line of lines.slice(0, 5))
      expectValid('v1alpha1ApplicationWatchEvent', line.result);
    expectValid('runtimeStreamError', lines[5].error);
    expect(lines[5].error).toEqual({
      grpc_code: 14,
      http_code: 503,
      message: 'transport is closing',
      http_status: 'Service Unavailable',
    });
  });

  it('validates what the Argo CD v3.5 behaviours add: never-synced and realistic apps, the default project, reconcile events, refused namespaces', async () => {
    const { fake, tokens } = seededFake();
    const t = { token: tokens.admin };
    fake.putApplication(
      buildApplication({
        name: 'acme-new-dev',
        tenant: 'acme',
        neverSynced: true,
      }),
    );
    fake.putApplication(
      buildApplication({
        name: 'acme-new-prod',
        tenant: 'acme',
        neverSynced: true,
        syncStatus: 'OutOfSync',
      }),
    );
    fake.putApplication(
      buildApplication({
        name: 'acme-big-dev',
        tenant: 'acme',
        realistic: true,
      }),
    );
    for (const name of ['acme-new-dev', 'acme-new-prod', 'acme-big-dev']) {
      expectValid(
        'v1alpha1Application',
        (await call(fake, 'GET', `/api/v1/applications/${name}`, t)).json,
      );
    }
    expectValid(
      'v1alpha1AppProject',
      (await call(fake, 'GET', '/api/v1/projects/default', t)).json,
    );
    expectValid(
      'v1alpha1AppProjectList',
      (await call(fake, 'GET', '/api/v1/projects', t)).json,
    );
    const refused = await call(
      fake,
      'GET',
      '/api/v1/applications/web?appNamespace=team-a',
      t,
    );
    expect(refused.status).toBe(403);
    expectValid('runtimeError', refused.json);

    const clock = { now: Date.parse('2026-03-01T12:00:00Z') };
    const ticking = new ArgoCdFake({
      now: () => new Date(clock.now),
      reconcile: { intervalMs: 180_000, tickMs: 3_600_000 },
    });
    ticking.putApplication(buildApplication({ name: 'web', realistic: true }));
    const response = await ticking.handle(
      new Request(`${BASE}/api/v1/stream/applications`, {
        headers: { authorization: `Bearer ${ArgoCdFake.adminToken}` },
      }),
    );
    const reader = response.body!.getReader();
    const buffer = { text: '' };
    await readLines(reader, 1, buffer);
    ticking.reconciler!.reconcileDue();
    clock.now += 180_000;
    ticking.reconciler!.reconcileDue();
    const [event] = await readLines(reader, 1, buffer);
    expect(event.result.type).toBe('MODIFIED');
    expectValid('v1alpha1ApplicationWatchEvent', event.result);
    await reader.cancel();
    ticking.close();
  });

  it('validates multi-source and Helm chart apps through list, get, sync, watch and chartdetails', async () => {
    const controller = new SimpleController({ stepMs: 1 });
    const fake = new ArgoCdFake({ controller });
    const charts = 'https://charts.example.com/stable';
    controller.charts.add(charts, 'web', {
      version: '2.4.1',
      description: 'Web',
      maintainers: ['Platform <platform@example.com>'],
    });
    fake.putApplication(
      buildApplication({
        name: 'web-dev',
        sources: [
          {
            repoURL: charts,
            chart: 'web',
            targetRevision: '2.4.x',
            helm: { valueFiles: ['$values/apps/web/dev/values.yaml'] },
          },
          {
            repoURL: 'https://git.example.com/acme/gitops.git',
            targetRevision: 'main',
            ref: 'values',
          },
        ],
        revisions: ['2.4.1', 'c'.repeat(40)],
        syncStatus: 'OutOfSync',
      }),
    );
    fake.putApplication(
      buildApplication({
        name: 'redis',
        chart: 'web',
        repoURL: charts,
        targetRevision: '2.4.1',
      }),
    );
    const t = { token: ArgoCdFake.adminToken };
    const stream = await fake.handle(
      new Request(`${BASE}/api/v1/stream/applications?name=web-dev`, {
        headers: { authorization: `Bearer ${ArgoCdFake.adminToken}` },
      }),
    );
    const reader = stream.body!.getReader();
    const buffer = { text: '' };
    await readLines(reader, 1, buffer);
    expectValid(
      'v1alpha1ApplicationList',
      (await call(fake, 'GET', '/api/v1/applications', t)).json,
    );
    const synced = await call(
      fake,
      'POST',
      '/api/v1/applications/web-dev/sync',
      { ...t, body: {} },
    );
    expectValid('v1alpha1Application', synced.json);
    controller.flush();
    const events = await readLines(reader, 3, buffer);
    for (const event of events) {
      expectValid('v1alpha1ApplicationWatchEvent', event.result);
    }
    await reader.cancel();
    expectValid(
      'v1alpha1Application',
      (await call(fake, 'GET', '/api/v1/applications/web-dev', t)).json,
    );
    expectValid(
      'v1alpha1ChartDetails',
      (
        await call(
          fake,
          'GET',
          '/api/v1/applications/redis/revisions/2.4.1/chartdetails',
          t,
        )
      ).json,
    );
    fake.close();
  });

  it('validates ApplicationSet list and get responses', async () => {
    const { fake, tokens } = seededFake();
    fake.applicationSets.put(previewSet('acme'));
    const t = { token: tokens.acme };
    expectValid(
      'v1alpha1ApplicationSetList',
      (await call(fake, 'GET', '/api/v1/applicationsets', t)).json,
    );
    expectValid(
      'v1alpha1ApplicationSet',
      (await call(fake, 'GET', '/api/v1/applicationsets/acme-previews', t))
        .json,
    );
    expectValid(
      'runtimeError',
      (await call(fake, 'GET', '/api/v1/applicationsets/missing', t)).json,
    );
    fake.close();
  });

  it('validates the resource, resource actions and action-run responses', async () => {
    const { fake, controller, tokens } = seededFake();
    controller.putLiveObject(
      'acme-web-dev',
      buildRollout({
        name: 'acme-web',
        namespace: 'acme-web',
        image: 'web:2',
        step: 4,
        paused: true,
      }),
      { status: 'Suspended', message: 'Rollout is paused' },
    );
    const t = { token: tokens.acme };
    const query =
      'namespace=acme-web&resourceName=acme-web&version=v1alpha1&group=argoproj.io&kind=Rollout';
    expectValid(
      'applicationApplicationResourceResponse',
      (
        await call(
          fake,
          'GET',
          `/api/v1/applications/acme-web-dev/resource?${query}`,
          t,
        )
      ).json,
    );
    expectValid(
      'applicationResourceActionsListResponse',
      (
        await call(
          fake,
          'GET',
          `/api/v1/applications/acme-web-dev/resource/actions?${query}`,
          t,
        )
      ).json,
    );
    const body = {
      namespace: 'acme-web',
      resourceName: 'acme-web',
      version: 'v1alpha1',
      group: 'argoproj.io',
      kind: 'Rollout',
      action: 'resume',
    };
    expectValid(
      'applicationApplicationResponse',
      (
        await call(
          fake,
          'POST',
          '/api/v1/applications/acme-web-dev/resource/actions/v2',
          { ...t, body },
        )
      ).json,
    );
    expectValid(
      'runtimeError',
      (
        await call(
          fake,
          'POST',
          '/api/v1/applications/acme-web-dev/resource/actions/v2',
          { ...t, body: { ...body, resourceName: 'other' } },
        )
      ).json,
    );
    fake.close();
  });

  it('validates the merge patch that pauses and resumes auto-sync: the patched app and every refusal', async () => {
    const { fake, tokens } = seededFake();
    const patch = async (
      token: string,
      body: Record<string, string>,
      name = 'acme-web-dev',
    ) => {
      // The request as the client sends it, checked against the swagger too.
      expectValid('applicationApplicationPatchRequest', body);
      return call(fake, 'PATCH', `/api/v1/applications/${name}`, {
        token,
        body,
      });
    };
    const merge = (value: unknown, extra: Record<string, string> = {}) => ({
      name: 'acme-web-dev',
      patch: JSON.stringify(value),
      patchType: 'merge',
      ...extra,
    });
    const pause = {
      metadata: { annotations: { 'kupe.cloud/auto-sync-paused-by': 'alice' } },
      spec: { syncPolicy: { automated: { enabled: false } } },
    };

    const paused = await patch(
      tokens.acme,
      merge(pause, { project: 'tenant-acme' }),
    );
    expect(paused.status).toBe(200);
    expectValid('v1alpha1Application', paused.json);
    expect(paused.json.spec.syncPolicy.automated.enabled).toBe(false);
    const resumed = await patch(
      tokens.acme,
      merge({
        metadata: { annotations: { 'kupe.cloud/auto-sync-paused-by': null } },
        spec: { syncPolicy: { automated: { enabled: true } } },
      }),
    );
    expect(resumed.status).toBe(200);
    expectValid('v1alpha1Application', resumed.json);

    const errors = [
      // Another project's app named with its project: 404; without it, the opaque 403.
      await patch(tokens.globex, merge(pause, { project: 'tenant-globex' })),
      await patch(tokens.globex, merge(pause)),
      // `get` without `update`: the detailed 403.
      await patch(tokens.acmeViewer, merge(pause, { project: 'tenant-acme' })),
      await patch(tokens.acme, { patch: '{}', patchType: 'strategic' }),
      await patch(
        tokens.acme,
        merge({ spec: { source: { repoURL: 'https://evil.test/x.git' } } }),
      ),
    ];
    expect(errors.map(e => e.status)).toEqual([404, 403, 403, 400, 400]);
    for (const e of errors) {
      expectValid('runtimeError', e.json);
      expect(Object.keys(e.json).sort()).toEqual(['code', 'error', 'message']);
    }
    fake.close();
  });
});
