import {
  ArgoCdSwaggerValidator,
  waitFor,
} from '@kupe/plugin-gitops-node-test-utils';
import {
  type ArgoCdSandbox,
  startArgoCdSandbox,
} from '../server/startArgoCdSandbox';
import {
  CANARY_APP,
  CANARY_IMAGE,
  CANARY_PATH,
  rolloutYaml,
} from '../seed/seedCanary';
import { SandboxRollouts } from './SandboxRollouts';

jest.setTimeout(90_000);

const ROLLOUT = {
  namespace: 'acme-checkout',
  resourceName: 'acme-checkout',
  version: 'v1alpha1',
  group: 'argoproj.io',
  kind: 'Rollout',
};

/**
 * acme-checkout-staging on the sandbox: a new image synced runs through the canary of its
 * Rollout, seen through Argo CD's endpoints (tree, resource, resource actions).
 */
describe('the sandbox canary through Argo CD', () => {
  let sandbox: ArgoCdSandbox;
  const swagger = new ArgoCdSwaggerValidator();

  beforeAll(async () => {
    sandbox = await startArgoCdSandbox({
      port: 0,
      reconcileIntervalMs: 100,
      operationMs: 200,
      progressMs: 200,
    });
    sandbox.controller!.rollouts = new SandboxRollouts({
      scaleMs: 100,
      analysisMs: 300,
    });
  });
  afterAll(() => sandbox?.stop());

  async function api(path: string, body?: unknown) {
    const response = await fetch(`${sandbox.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${sandbox.adminToken}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as any };
  }
  const liveRollout = async () => {
    const res = await api(
      `/api/v1/applications/${CANARY_APP}/resource?${new URLSearchParams(
        ROLLOUT,
      )}`,
    );
    expect(
      swagger.validate('applicationApplicationResourceResponse', res.json),
    ).toEqual([]);
    return JSON.parse(res.json.manifest);
  };
  const deploy = async (tag: string) => {
    await sandbox.repositories.commit('acme/gitops', {
      author: { name: 'Dana Test', email: 'dana@acme.example' },
      message: `acme-checkout ${tag}`,
      files: {
        [`${CANARY_PATH}/rollout.yaml`]: rolloutYaml(
          'acme-checkout',
          `${CANARY_IMAGE}:${tag}`,
        ),
      },
    });
    await api(`/api/v1/applications/${CANARY_APP}?refresh=normal`);
    const sync = await api(`/api/v1/applications/${CANARY_APP}/sync`, {});
    expect(sync.status).toBe(200);
  };

  it('starts fully promoted, Healthy, with the stable ReplicaSet in the tree', async () => {
    const rollout = await waitFor('a healthy Rollout', async () => {
      const live = await liveRollout();
      return live.status?.phase === 'Healthy' ? live : undefined;
    });
    expect(rollout.status.stableRS).toBe(rollout.status.currentPodHash);
    const tree = (await api(`/api/v1/applications/${CANARY_APP}/resource-tree`))
      .json;
    expect(swagger.validate('v1alpha1ApplicationTree', tree)).toEqual([]);
    expect(tree.nodes.find((n: any) => n.kind === 'Rollout').health).toEqual({
      status: 'Healthy',
    });
  });

  it('walks a new image through its steps to the manual pause, and resume completes it', async () => {
    await deploy('3.0.0');
    const paused = await waitFor(
      'the pause until promoted',
      async () => {
        const live = await liveRollout();
        return live.status.currentStepIndex === 4 ? live : undefined;
      },
      30_000,
    );
    expect(paused.status).toMatchObject({
      phase: 'Paused',
      pauseConditions: [{ reason: 'CanaryPauseStep' }],
      canary: { currentStepAnalysisRunStatus: { status: 'Successful' } },
    });
    // Argo CD's health follows the live Rollout on its next reconcile, as the real one does.
    await waitFor(
      'the app to be Suspended',
      () =>
        sandbox.fake.getApplication(CANARY_APP)?.status?.health?.status ===
        'Suspended'
          ? true
          : undefined,
      10_000,
    );
    const actions = (
      await api(
        `/api/v1/applications/${CANARY_APP}/resource/actions?${new URLSearchParams(
          ROLLOUT,
        )}`,
      )
    ).json.actions;
    expect(actions.find((a: any) => a.name === 'resume').disabled).toBe(false);

    const resumed = await api(
      `/api/v1/applications/${CANARY_APP}/resource/actions/v2`,
      {
        ...ROLLOUT,
        action: 'resume',
      },
    );
    expect(resumed.status).toBe(200);
    const done = await waitFor('full promotion', async () => {
      const live = await liveRollout();
      return live.status.phase === 'Healthy' ? live : undefined;
    });
    expect(done.status.stableRS).toBe(done.status.currentPodHash);
  });

  it('aborts a broken release when its analysis fails: Degraded, and retry starts again', async () => {
    await deploy('3.1.0-broken');
    const aborted = await waitFor(
      'the abort',
      async () => {
        const live = await liveRollout();
        return live.status.abort ? live : undefined;
      },
      30_000,
    );
    expect(aborted.status).toMatchObject({
      phase: 'Degraded',
      canary: { currentStepAnalysisRunStatus: { status: 'Failed' } },
    });
    await waitFor('the app to turn Degraded', () =>
      sandbox.fake.getApplication(CANARY_APP)?.status?.health?.status ===
      'Degraded'
        ? true
        : undefined,
    );
    const tree = (await api(`/api/v1/applications/${CANARY_APP}/resource-tree`))
      .json;
    expect(
      tree.nodes
        .filter((n: any) => n.kind === 'AnalysisRun')
        .map((n: any) => n.health.status),
    ).toContain('Degraded');

    await api(`/api/v1/applications/${CANARY_APP}/resource/actions/v2`, {
      ...ROLLOUT,
      action: 'retry',
    });
    const retried = await liveRollout();
    // back at the first steps (20 %, then the timed pause), no longer Degraded
    expect(retried.status.currentStepIndex).toBeLessThan(2);
    expect(['Progressing', 'Paused']).toContain(retried.status.phase);
    expect(retried.status.abort).toBeUndefined();
  });
});
