import { parse } from 'yaml';
import type { KubernetesObject } from '../manifests/KubernetesObject';
import { rolloutYaml } from '../seed/seedCanary';
import { CanarySimulator } from './CanarySimulator';
import { rolloutExtensions } from './rolloutLiveViews';

const rollout = (tag: string): KubernetesObject => ({
  ...parse(rolloutYaml('checkout', `registry.test/checkout:${tag}`)),
  metadata: { name: 'checkout', namespace: 'checkout' },
});
const T0 = Date.parse('2026-12-04T10:00:00Z');
const S = 1000;

function statusAt(sim: CanarySimulator, object: KubernetesObject, at: number) {
  return sim.statusOf(object, sim.observe('argocd/app', object, at));
}

describe('CanarySimulator (the sandbox Argo Rollouts controller)', () => {
  it('starts fully promoted, then runs a new image through the canary steps over time', () => {
    const sim = new CanarySimulator({ scaleMs: 2 * S, analysisMs: 4 * S });
    const v1 = rollout('1.0.0');
    expect(statusAt(sim, v1, T0)).toMatchObject({
      phase: 'Healthy',
      currentStepIndex: 6,
    });
    const first = statusAt(sim, v1, T0);
    const v2 = rollout('1.1.0');
    expect(statusAt(sim, v2, T0 + S)).toMatchObject({
      phase: 'Progressing',
      currentStepIndex: 0,
      stableRS: first.currentPodHash,
    });
    // setWeight 20 done after 2 s, then the 10 s pause.
    expect(statusAt(sim, v2, T0 + 4 * S)).toMatchObject({
      phase: 'Paused',
      message: 'CanaryPauseStep',
      currentStepIndex: 1,
      pauseConditions: [{ reason: 'CanaryPauseStep' }],
    });
    // 50 % after the pause, then the analysis runs.
    expect(statusAt(sim, v2, T0 + 16 * S)).toMatchObject({
      currentStepIndex: 3,
      canary: {
        currentStepAnalysisRunStatus: { status: 'Running' },
      },
    });
    // The analysis passes and the canary waits for a promotion, indefinitely.
    const paused = statusAt(sim, v2, T0 + 60 * S);
    expect(paused).toMatchObject({
      phase: 'Paused',
      currentStepIndex: 4,
      canary: { currentStepAnalysisRunStatus: { status: 'Successful' } },
    });
    expect(
      rolloutExtensions(sim, 'argocd/app', T0 + 60 * S).health(v2),
    ).toEqual({ status: 'Suspended', message: 'CanaryPauseStep' });

    // Argo CD's resume removes the pause condition: 100 %, then the canary is stable.
    const { pauseConditions, ...resumed } = paused;
    expect(pauseConditions).toBeDefined();
    sim.applyPatch('argocd/app', v2, paused, resumed, T0 + 61 * S);
    const done = statusAt(sim, v2, T0 + 64 * S);
    expect(done).toMatchObject({
      phase: 'Healthy',
      currentStepIndex: 6,
      stableRS: done.currentPodHash,
    });
  });

  it('fails the analysis of a broken release and aborts the Rollout (Degraded)', () => {
    const sim = new CanarySimulator({ scaleMs: 10, analysisMs: 20 });
    statusAt(sim, rollout('1.0.0'), T0);
    const broken = rollout('1.1.0-broken');
    statusAt(sim, broken, T0 + S);
    const status = statusAt(sim, broken, T0 + 20 * S);
    expect(status).toMatchObject({
      phase: 'Degraded',
      abort: true,
      currentStepIndex: 3,
      canary: {
        currentStepAnalysisRunStatus: {
          status: 'Failed',
          message:
            'Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)',
        },
      },
    });
    expect(status.message).toMatch(
      /^RolloutAborted: Rollout aborted update to revision 2: Metric "success-rate"/,
    );
    expect(status.updatedReplicas).toBe(0);
    const extensions = rolloutExtensions(sim, 'argocd/app', T0 + 20 * S);
    expect(extensions.health(broken)?.status).toBe('Degraded');
    const runs = extensions
      .children(broken, { kind: 'Rollout', name: 'checkout', uid: 'u' })
      .filter(n => n.kind === 'AnalysisRun');
    expect(runs).toEqual([
      expect.objectContaining({
        health: {
          status: 'Degraded',
          message:
            'Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)',
        },
      }),
    ]);
  });

  it('takes abort, retry and promote-full as the Argo Rollouts controller does', () => {
    const sim = new CanarySimulator({ scaleMs: 10, analysisMs: 20 });
    statusAt(sim, rollout('1.0.0'), T0);
    const v2 = rollout('2.0.0');
    const running = statusAt(sim, v2, T0 + 5);
    sim.applyPatch(
      'argocd/app',
      v2,
      running,
      { ...running, abort: true },
      T0 + 6,
    );
    expect(statusAt(sim, v2, T0 + 7)).toMatchObject({
      phase: 'Degraded',
      message: 'RolloutAborted: Rollout aborted update to revision 2',
    });
    const aborted = statusAt(sim, v2, T0 + 8);
    const { abort, ...retried } = aborted;
    expect(abort).toBe(true);
    sim.applyPatch('argocd/app', v2, aborted, retried, T0 + 9);
    expect(statusAt(sim, v2, T0 + 10)).toMatchObject({
      phase: 'Progressing',
      currentStepIndex: 0,
    });
    const before = statusAt(sim, v2, T0 + 11);
    sim.applyPatch(
      'argocd/app',
      v2,
      before,
      { ...before, promoteFull: true },
      T0 + 12,
    );
    expect(statusAt(sim, v2, T0 + 13)).toMatchObject({
      phase: 'Healthy',
      currentStepIndex: 6,
    });
  });
});
