import type { LiveManifest } from '../fake/rolloutActions';

/**
 * The canary steps the builders and the sandbox use: 20 %, a timed pause, 50 % with an
 * analysis, an indefinite pause for a manual promotion, then 100 %.
 *
 * @public
 */
export const CANARY_STEPS: Array<Record<string, unknown>> = [
  { setWeight: 20 },
  { pause: { duration: '10s' } },
  { setWeight: 50 },
  { analysis: { templates: [{ templateName: 'success-rate' }] } },
  { pause: {} },
  { setWeight: 100 },
];

/**
 * The pod template hashes {@link buildRollout} uses for the canary and the stable ReplicaSet.
 *
 * @public
 */
export const ROLLOUT_HASHES = { canary: '6c4f9b8d7', stable: '5d8b7c6f4' };

/**
 * A live Argo Rollouts `Rollout` (v1.x status) with the canary {@link CANARY_STEPS}, for
 * tests: `step` is `status.currentStepIndex`; `paused` adds the `CanaryPauseStep` pause
 * condition; `aborted` sets `status.abort` and the Degraded phase; at the last step the
 * canary is fully promoted (stable = current pod hash).
 *
 * @public
 */
export function buildRollout(options: {
  name: string;
  namespace: string;
  image: string;
  step: number;
  paused?: boolean;
  aborted?: boolean;
  analysisRun?: { name: string; status: string; message?: string };
}): LiveManifest {
  const done = options.step >= CANARY_STEPS.length;
  const weight = done
    ? 100
    : CANARY_STEPS.slice(0, options.step + 1).reduce<number>(
        (w, s) => (typeof s.setWeight === 'number' ? s.setWeight : w),
        0,
      );
  const canaryHash = ROLLOUT_HASHES.canary;
  const stableHash = done ? canaryHash : ROLLOUT_HASHES.stable;
  let phase = 'Progressing';
  let message = 'more replicas need to be updated';
  if (done) {
    phase = 'Healthy';
    message = '';
  } else if (options.aborted) {
    phase = 'Degraded';
    message = 'RolloutAborted: Rollout aborted update to revision 2';
  } else if (options.paused) {
    phase = 'Paused';
    message = 'CanaryPauseStep';
  }
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: {
      name: options.name,
      namespace: options.namespace,
      generation: 2,
      annotations: { 'rollout.argoproj.io/revision': '2' },
    },
    spec: {
      replicas: 5,
      selector: { matchLabels: { app: options.name } },
      template: {
        metadata: { labels: { app: options.name } },
        spec: {
          containers: [{ name: options.name, image: options.image }],
        },
      },
      strategy: { canary: { steps: CANARY_STEPS } },
    },
    status: {
      observedGeneration: '2',
      phase,
      message,
      currentPodHash: canaryHash,
      stableRS: stableHash,
      currentStepIndex: Math.min(options.step, CANARY_STEPS.length),
      currentStepHash: '7c9f6b5d4',
      replicas: 5,
      updatedReplicas: done ? 5 : Math.round((5 * weight) / 100),
      readyReplicas: 5,
      availableReplicas: 5,
      ...(options.paused && !options.aborted
        ? {
            pauseConditions: [
              {
                reason: 'CanaryPauseStep',
                startTime: '2026-12-04T10:00:00Z',
              },
            ],
            controllerPause: true,
          }
        : {}),
      ...(options.aborted
        ? { abort: true, abortedAt: '2026-12-04T10:00:00Z' }
        : {}),
      canary: {
        weights: {
          canary: {
            podTemplateHash: canaryHash,
            weight: options.aborted ? 0 : weight,
          },
          stable: {
            podTemplateHash: stableHash,
            weight: options.aborted ? 100 : 100 - weight,
          },
        },
        ...(options.analysisRun
          ? { currentStepAnalysisRunStatus: options.analysisRun }
          : {}),
      },
    },
  };
}

const owner = (kind: string, name: string, apiVersion: string) => ({
  apiVersion,
  kind,
  name,
  controller: true,
});

/**
 * A ReplicaSet the Rollout `rollout` owns, named `<rollout>-<hash>` as Argo Rollouts names
 * them, running `image`.
 *
 * @public
 */
export function buildRolloutReplicaSet(
  rollout: string,
  namespace: string,
  hash: string,
  image: string,
): LiveManifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${rollout}-${hash}`,
      namespace,
      labels: { 'rollouts-pod-template-hash': hash },
      ownerReferences: [owner('Rollout', rollout, 'argoproj.io/v1alpha1')],
    },
    spec: { template: { spec: { containers: [{ name: rollout, image }] } } },
  };
}

/**
 * An AnalysisRun the Rollout `rollout` owns, in `phase` (`Running`, `Successful`, `Failed`,
 * `Error`, `Inconclusive`).
 *
 * @public
 */
export function buildAnalysisRun(
  rollout: string,
  namespace: string,
  name: string,
  phase: string,
  message?: string,
): LiveManifest {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: {
      name,
      namespace,
      ownerReferences: [owner('Rollout', rollout, 'argoproj.io/v1alpha1')],
    },
    spec: { metrics: [{ name: 'success-rate', failureLimit: 0 }] },
    status: { phase, ...(message ? { message } : {}) },
  };
}
