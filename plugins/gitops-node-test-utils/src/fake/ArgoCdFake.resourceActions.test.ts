import { call, seededFake } from '../__testUtils__/seededFake';
import {
  ROLLOUT_HASHES,
  buildAnalysisRun,
  buildRollout,
  buildRolloutReplicaSet,
} from '../builders/buildRollout';
import { ArgoCdSwaggerValidator } from '../contract/argoCdSwaggerValidator';

const validator = new ArgoCdSwaggerValidator();
const ROLLOUT_QUERY =
  'namespace=acme-web&resourceName=acme-web&version=v1alpha1&group=argoproj.io&kind=Rollout';

function withCanary(step: number, extra: { paused?: boolean } = {}) {
  const setup = seededFake();
  setup.controller.putLiveObject(
    'acme-web-dev',
    buildRollout({
      name: 'acme-web',
      namespace: 'acme-web',
      image: 'registry.acme.test/web:2.0.0',
      step,
      ...extra,
    }),
    { status: extra.paused ? 'Suspended' : 'Progressing' },
  );
  setup.controller.putLiveObject(
    'acme-web-dev',
    buildRolloutReplicaSet(
      'acme-web',
      'acme-web',
      ROLLOUT_HASHES.stable,
      'registry.acme.test/web:1.0.0',
    ),
    { status: 'Healthy' },
  );
  setup.controller.putLiveObject(
    'acme-web-dev',
    buildAnalysisRun(
      'acme-web',
      'acme-web',
      'acme-web-6c4f9b8d7-2-3',
      'Running',
    ),
    { status: 'Progressing', message: 'Analysis run is running' },
  );
  return setup;
}

const manifestOf = async (
  fake: ReturnType<typeof seededFake>['fake'],
  token: string,
) =>
  JSON.parse(
    (
      await call(
        fake,
        'GET',
        `/api/v1/applications/acme-web-dev/resource?${ROLLOUT_QUERY}`,
        { token },
      )
    ).json.manifest,
  );

describe('ArgoCdFake resource endpoints (Argo CD v3.5.1)', () => {
  it('answers the live manifest of a resource of the tree, and 400 for one outside it', async () => {
    const { fake, tokens } = withCanary(4, { paused: true });
    const ok = await call(
      fake,
      'GET',
      `/api/v1/applications/acme-web-dev/resource?${ROLLOUT_QUERY}`,
      { token: tokens.acme },
    );
    expect(ok.status).toBe(200);
    expect(
      validator.validate('applicationApplicationResourceResponse', ok.json),
    ).toEqual([]);
    expect(JSON.parse(ok.json.manifest)).toMatchObject({
      kind: 'Rollout',
      status: { currentStepIndex: 4, phase: 'Paused' },
    });

    const missing = await call(
      fake,
      'GET',
      '/api/v1/applications/acme-web-dev/resource?namespace=acme-web&resourceName=other&version=v1alpha1&group=argoproj.io&kind=Rollout',
      { token: tokens.acme },
    );
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({
      error:
        'Rollout argoproj.io other not found as part of application acme-web-dev',
      code: 3,
      message:
        'Rollout argoproj.io other not found as part of application acme-web-dev',
    });
    fake.close();
  });

  it('refuses another project as any app lookup does: 403 without project, 404 with it', async () => {
    const { fake, tokens } = withCanary(4, { paused: true });
    const path = `/api/v1/applications/acme-web-dev/resource?${ROLLOUT_QUERY}`;
    expect(
      (await call(fake, 'GET', path, { token: tokens.globex })).json,
    ).toEqual({
      error: 'permission denied',
      code: 7,
      message: 'permission denied',
    });
    const scoped = await call(fake, 'GET', `${path}&project=tenant-globex`, {
      token: tokens.globex,
    });
    expect(scoped.status).toBe(404);
    fake.close();
  });

  it('lists the Rollout actions as the built-in discovery script offers them', async () => {
    const { fake, tokens } = withCanary(4, { paused: true });
    const listed = await call(
      fake,
      'GET',
      `/api/v1/applications/acme-web-dev/resource/actions?${ROLLOUT_QUERY}`,
      { token: tokens.acme },
    );
    expect(
      validator.validate('applicationResourceActionsListResponse', listed.json),
    ).toEqual([]);
    const disabled = Object.fromEntries(
      listed.json.actions.map((a: { name: string; disabled: boolean }) => [
        a.name,
        a.disabled,
      ]),
    );
    expect(disabled).toEqual({
      abort: false,
      pause: false,
      'promote-full': false,
      restart: false,
      resume: false,
      retry: true,
      'skip-current-step': false,
    });
    fake.close();
  });

  it('runs resume, abort, retry and promote-full through v2 as their Lua scripts do', async () => {
    const { fake, tokens } = withCanary(4, { paused: true });
    const run = (action: string, token = tokens.acme) =>
      call(
        fake,
        'POST',
        '/api/v1/applications/acme-web-dev/resource/actions/v2',
        {
          token,
          body: {
            name: 'acme-web-dev',
            namespace: 'acme-web',
            resourceName: 'acme-web',
            version: 'v1alpha1',
            group: 'argoproj.io',
            kind: 'Rollout',
            action,
          },
        },
      );
    const resumed = await run('resume');
    expect(resumed.status).toBe(200);
    expect(
      validator.validate('applicationApplicationResponse', resumed.json),
    ).toEqual([]);
    expect(
      (await manifestOf(fake, tokens.acme)).status.pauseConditions,
    ).toBeUndefined();

    await run('abort');
    expect((await manifestOf(fake, tokens.acme)).status.abort).toBe(true);
    await run('retry');
    expect((await manifestOf(fake, tokens.acme)).status.abort).toBeUndefined();
    await run('promote-full');
    expect((await manifestOf(fake, tokens.acme)).status.promoteFull).toBe(true);
    const events = (
      await call(fake, 'GET', '/api/v1/applications/acme-web-dev/events', {
        token: tokens.acme,
      })
    ).json.items;
    expect(events).toContainEqual(
      expect.objectContaining({
        reason: 'ResourceActionRan',
        message: 'ran action resume on resource argoproj.io/Rollout/acme-web',
      }),
    );

    const unknown = await run('promote');
    expect(unknown.status).toBe(500);
    expect(unknown.json.message).toBe(
      'error getting Lua resource action: built-in script does not exist',
    );
    fake.close();
  });

  it('needs action/<group>/<kind>/<action> on the app: a viewer gets the opaque 403', async () => {
    const { fake, tokens } = withCanary(4, { paused: true });
    const denied = await call(
      fake,
      'POST',
      '/api/v1/applications/acme-web-dev/resource/actions/v2',
      {
        token: tokens.acmeViewer,
        body: {
          namespace: 'acme-web',
          resourceName: 'acme-web',
          version: 'v1alpha1',
          group: 'argoproj.io',
          kind: 'Rollout',
          action: 'abort',
        },
      },
    );
    expect(denied.status).toBe(403);
    expect((await manifestOf(fake, tokens.acme)).status.abort).toBeUndefined();
    fake.close();
  });

  it('takes the deprecated v1 body, the action name as a JSON string', async () => {
    const { fake, tokens } = withCanary(4, { paused: true });
    const ran = await call(
      fake,
      'POST',
      `/api/v1/applications/acme-web-dev/resource/actions?${ROLLOUT_QUERY}`,
      { token: tokens.acme, body: 'abort' },
    );
    expect(ran.status).toBe(200);
    expect((await manifestOf(fake, tokens.acme)).status.abort).toBe(true);
    fake.close();
  });

  it('puts owned objects under their owner in the tree, with their images', async () => {
    const { fake, tokens } = withCanary(2);
    const tree = (
      await call(
        fake,
        'GET',
        '/api/v1/applications/acme-web-dev/resource-tree',
        {
          token: tokens.acme,
        },
      )
    ).json;
    expect(validator.validate('v1alpha1ApplicationTree', tree)).toEqual([]);
    const run = tree.nodes.find(
      (n: { kind: string }) => n.kind === 'AnalysisRun',
    );
    const rollout = tree.nodes.find(
      (n: { kind: string }) => n.kind === 'Rollout',
    );
    expect(run.parentRefs[0]).toMatchObject({
      kind: 'Rollout',
      uid: rollout.uid,
    });
    expect(
      tree.nodes.find((n: { kind: string }) => n.kind === 'ReplicaSet').images,
    ).toEqual(['registry.acme.test/web:1.0.0']);
    fake.close();
  });
});
