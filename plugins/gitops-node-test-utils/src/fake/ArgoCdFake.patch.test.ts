import { ArgoCdSwaggerValidator } from '../contract/argoCdSwaggerValidator';
import { call, seededFake } from '../__testUtils__/seededFake';
import { waitFor } from '../waitFor';
import type { ArgoCdFake } from './ArgoCdFake';

const swagger = new ArgoCdSwaggerValidator();

function patchBody(patch: unknown, extra: Record<string, string> = {}) {
  const body = {
    name: 'acme-web-dev',
    patch: JSON.stringify(patch),
    patchType: 'merge',
    ...extra,
  };
  expect(swagger.validate('applicationApplicationPatchRequest', body)).toEqual(
    [],
  );
  return body;
}

const pause = {
  metadata: { annotations: { 'kupe.cloud/auto-sync-paused-by': 'alice' } },
  spec: { syncPolicy: { automated: { enabled: false } } },
};

/** Makes acme-web-dev OutOfSync with a new commit on its branch, as a push would. */
function pushNewCommit(fake: ArgoCdFake) {
  fake.updateApplication('acme-web-dev', a => {
    a.status = {
      ...a.status,
      sync: {
        ...a.status!.sync!,
        status: 'OutOfSync',
        revision: 'f'.repeat(40),
      },
    };
  });
}

describe('ArgoCdFake PATCH /api/v1/applications/{name}', () => {
  it('merges a patch into the app, keeping the rest of the sync policy, and answers the app', async () => {
    const { fake, tokens } = seededFake();
    fake.updateApplication('acme-web-dev', a => {
      a.spec.syncPolicy = { automated: { prune: true, selfHeal: true } };
    });
    const res = await call(fake, 'PATCH', '/api/v1/applications/acme-web-dev', {
      token: tokens.acme,
      body: patchBody(pause, { project: 'tenant-acme' }),
    });
    expect(res.status).toBe(200);
    expect(swagger.validate('v1alpha1Application', res.json)).toEqual([]);
    expect(res.json.spec.syncPolicy.automated).toEqual({
      prune: true,
      selfHeal: true,
      enabled: false,
    });
    expect(res.json.metadata.annotations).toMatchObject({
      'kupe.cloud/auto-sync-paused-by': 'alice',
    });
    expect(fake.getApplication('acme-web-dev')!.spec.syncPolicy).toEqual(
      res.json.spec.syncPolicy,
    );

    const removed = await call(
      fake,
      'PATCH',
      '/api/v1/applications/acme-web-dev',
      {
        token: tokens.acme,
        body: patchBody({
          metadata: { annotations: { 'kupe.cloud/auto-sync-paused-by': null } },
          spec: { syncPolicy: { automated: { enabled: true } } },
        }),
      },
    );
    expect(
      removed.json.metadata.annotations?.['kupe.cloud/auto-sync-paused-by'],
    ).toBeUndefined();
    expect(removed.json.spec.syncPolicy.automated).toEqual({
      prune: true,
      selfHeal: true,
      enabled: true,
    });
  });

  it('applies a JSON patch (patchType json or empty), as Argo CD does by default', async () => {
    const { fake, tokens } = seededFake();
    const res = await call(fake, 'PATCH', '/api/v1/applications/acme-web-dev', {
      token: tokens.admin,
      body: {
        patch: JSON.stringify([
          { op: 'add', path: '/metadata/labels/team', value: 'web' },
          {
            op: 'replace',
            path: '/spec/syncPolicy/automated',
            value: { enabled: false },
          },
        ]),
      },
    });
    expect(res.status).toBe(200);
    expect(res.json.metadata.labels.team).toBe('web');
    expect(res.json.spec.syncPolicy.automated).toEqual({ enabled: false });

    const failed = await call(
      fake,
      'PATCH',
      '/api/v1/applications/acme-web-dev',
      {
        token: tokens.admin,
        body: {
          patchType: 'json',
          patch: JSON.stringify([{ op: 'remove', path: '/spec/nothing' }]),
        },
      },
    );
    expect(failed.status).toBe(500);
    expect(swagger.validate('runtimeError', failed.json)).toEqual([]);
    expect(failed.json.message).toMatch(
      /^error applying patch: remove operation does not apply/,
    );
  });

  it("stops the controller's auto-sync while enabled is false and resumes it after", async () => {
    const { fake, tokens } = seededFake();
    const before = fake.getApplication('acme-web-dev')!.status!.history!.length;
    await call(fake, 'PATCH', '/api/v1/applications/acme-web-dev', {
      token: tokens.acme,
      body: patchBody(pause),
    });
    pushNewCommit(fake);
    fake.controller.applicationSpecChanged({
      name: 'acme-web-dev',
      namespace: 'argocd',
    });
    await new Promise(r => setTimeout(r, 100));
    const paused = fake.getApplication('acme-web-dev')!;
    expect(paused.operation).toBeUndefined();
    expect(paused.status!.sync!.status).toBe('OutOfSync');
    expect(paused.status!.history!.length).toBe(before);

    await call(fake, 'PATCH', '/api/v1/applications/acme-web-dev', {
      token: tokens.acme,
      body: patchBody({
        spec: { syncPolicy: { automated: { enabled: true } } },
      }),
    });
    await waitFor(
      'the automated sync after resuming',
      () =>
        fake.getApplication('acme-web-dev')!.status!.history!.length > before ||
        undefined,
      2_000,
    );
    const resumed = fake.getApplication('acme-web-dev')!;
    expect(resumed.status!.history!.at(-1)!.initiatedBy).toEqual({
      automated: true,
    });
  });

  it("answers as Argo CD for another project's app, a missing update right and bad patches", async () => {
    const { fake, tokens } = seededFake();
    const expectError = async (
      token: string,
      body: unknown,
      status: number,
      message: string | RegExp,
      name = 'acme-web-dev',
    ) => {
      const res = await call(fake, 'PATCH', `/api/v1/applications/${name}`, {
        token,
        body,
      });
      expect(res.status).toBe(status);
      expect(swagger.validate('runtimeError', res.json)).toEqual([]);
      expect(res.json.message).toMatch(message);
    };
    // With project, another project's app is a 404; without it, the opaque 403.
    await expectError(
      tokens.globex,
      patchBody(pause, { project: 'tenant-globex' }),
      404,
      'applications.argoproj.io "acme-web-dev" not found',
    );
    await expectError(
      tokens.globex,
      patchBody(pause),
      403,
      /^permission denied$/,
    );
    // `get` but not `update`: the detailed 403.
    await expectError(
      tokens.acmeViewer,
      patchBody(pause, { project: 'tenant-acme' }),
      403,
      /^permission denied: applications, update, tenant-acme\/acme-web-dev, sub: proj:tenant-acme:viewer/,
    );
    await expectError(
      tokens.acme,
      { patch: '{}', patchType: 'strategic' },
      400,
      "Patch type 'strategic' is not supported",
    );
    await expectError(
      tokens.acme,
      { patch: '{not json', patchType: 'merge' },
      500,
      'error calculating merge patch: Invalid JSON Patch',
    );
    await expectError(
      tokens.acme,
      patchBody({ spec: { project: 'tenant-globex' } }),
      403,
      /^permission denied: applications, create, tenant-globex\/acme-web-dev/,
    );
    await expectError(
      tokens.acme,
      patchBody({ spec: { source: { repoURL: 'https://evil.test/x.git' } } }),
      400,
      /^error validating and normalizing app: application spec for acme-web-dev is invalid: InvalidSpecError: application repo https:\/\/evil.test\/x.git is not permitted in project 'tenant-acme'/,
    );
    await expectError(
      tokens.acme,
      patchBody({ metadata: { annotations: { a: 1 } } }),
      500,
      /^error unmarshaling patched app/,
    );
    // Nothing changed on the way.
    expect(
      fake.getApplication('acme-web-dev')!.spec.syncPolicy?.automated?.enabled,
    ).toBeUndefined();
  });
});
