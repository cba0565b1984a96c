import { canonicalJson } from '@kupe/plugin-gitops-common';
import type { HealthStatus } from '@kupe/plugin-gitops-node';
import { type KubernetesObject, imagesOf } from '../manifests/KubernetesObject';
import { rfc3339, shortHash } from '../controller/liveViews';

/** A canary step of `spec.strategy.canary.steps` the sandbox runs. */
type CanaryStep =
  | { setWeight: number }
  | { pause: { duration?: string } }
  | { analysis: unknown };

/** One AnalysisRun the simulated controller created for an analysis step. */
export interface SimulatedAnalysisRun {
  name: string;
  phase: 'Running' | 'Successful' | 'Failed';
  message?: string;
  startedAt: number;
}

export interface CanaryState {
  revision: number;
  /** Pod template hash of the canary (the Rollout's current template). */
  currentHash: string;
  currentImages: string[];
  stableHash: string;
  stableImages: string[];
  stepIndex: number;
  stepStartedAt: number;
  aborted?: { at: number; message: string };
  promoteFull?: boolean;
  manualPause?: boolean;
  runs: SimulatedAnalysisRun[];
}

/** How long the simulated steps take. */
export interface CanaryTimings {
  /** Scaling to a new weight. Default 2000 ms. */
  scaleMs?: number;
  /** An analysis run from Running to its result. Default 4000 ms. */
  analysisMs?: number;
}

const REPLICAS_DEFAULT = 1;

function durationMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+)(ms|s|m|h)?$/.exec(String(text));
  if (!match) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 's']!;
  return Number(match[1]) * unit;
}

function stepsOf(rollout: KubernetesObject): CanaryStep[] {
  const spec = rollout.spec as
    | { strategy?: { canary?: { steps?: CanaryStep[] } } }
    | undefined;
  return spec?.strategy?.canary?.steps ?? [];
}

function replicasOf(rollout: KubernetesObject): number {
  return Number(
    (rollout.spec as { replicas?: number } | undefined)?.replicas ??
      REPLICAS_DEFAULT,
  );
}

/** A release the sandbox treats as bad: its image tag contains `broken`. */
function isBroken(images: string[]): boolean {
  return images.some(image => /:.*broken/.test(image));
}

/**
 * The Argo Rollouts controller of the sandbox, for canary Rollouts without traffic routing: a
 * new pod template (a new image) starts a canary at step 0 beside the stable ReplicaSet;
 * `setWeight` steps scale the canary, timed pauses wait, `pause: {}` waits for `resume`
 * (Argo CD's action, which removes the pause condition), analysis steps create an AnalysisRun
 * that succeeds, or fails for an image tagged `broken`, which aborts the Rollout (Degraded,
 * all traffic back to stable); after the last step the canary becomes stable. `status` is
 * computed from the state as Argo Rollouts v1 writes it (phase, message, pauseConditions,
 * currentStepIndex, stableRS, currentPodHash, abort, canary.currentStepAnalysisRunStatus).
 * State advances when read, so no timer is needed.
 */
export class CanarySimulator {
  readonly #states = new Map<string, CanaryState>();
  readonly #scaleMs: number;
  readonly #analysisMs: number;

  constructor(timings: CanaryTimings = {}) {
    this.#scaleMs = timings.scaleMs ?? 2000;
    this.#analysisMs = timings.analysisMs ?? 4000;
  }

  static isRollout(object: KubernetesObject): boolean {
    return (
      object.kind === 'Rollout' && object.apiVersion.startsWith('argoproj.io/')
    );
  }

  /** Forgets an app's Rollouts (the app was deleted). */
  forget(appId: string): void {
    for (const key of [...this.#states.keys()])
      if (key.startsWith(`${appId}|`)) this.#states.delete(key);
  }

  /**
   * Observes the live Rollout `rollout` of app `appId` at `now`: a first sight (a seeded
   * deploy) is fully promoted, a changed template starts a canary; then runs the steps due.
   */
  observe(appId: string, rollout: KubernetesObject, now: number): CanaryState {
    const key = `${appId}|${rollout.metadata.namespace ?? ''}/${
      rollout.metadata.name
    }`;
    const template = (rollout.spec as { template?: unknown } | undefined)
      ?.template;
    const hash = shortHash(canonicalJson(template ?? {}), 9);
    const images = imagesOf(rollout);
    const steps = stepsOf(rollout);
    let state = this.#states.get(key);
    if (!state) {
      state = {
        revision: 1,
        currentHash: hash,
        currentImages: images,
        stableHash: hash,
        stableImages: images,
        stepIndex: steps.length,
        stepStartedAt: now,
        runs: [],
      };
      this.#states.set(key, state);
    } else if (state.currentHash !== hash) {
      // A new revision: the last fully promoted one stays stable (an aborted canary does not).
      const promoted = state.stableHash === state.currentHash;
      state.revision += 1;
      if (promoted) {
        state.stableHash = state.currentHash;
        state.stableImages = state.currentImages;
      }
      state.currentHash = hash;
      state.currentImages = images;
      state.stepIndex = 0;
      state.stepStartedAt = now;
      state.aborted = undefined;
      state.promoteFull = undefined;
    }
    this.#advance(rollout.metadata.name, state, steps, now);
    return state;
  }

  #advance(
    name: string,
    state: CanaryState,
    steps: CanaryStep[],
    now: number,
  ): void {
    for (;;) {
      if (state.aborted || state.manualPause) return;
      if (state.promoteFull) state.stepIndex = steps.length;
      if (state.stepIndex >= steps.length) {
        state.stableHash = state.currentHash;
        state.stableImages = state.currentImages;
        return;
      }
      const step = steps[state.stepIndex];
      const elapsed = now - state.stepStartedAt;
      let doneAt: number | undefined;
      if ('setWeight' in step) {
        doneAt = state.stepStartedAt + this.#scaleMs;
      } else if ('pause' in step) {
        const ms = durationMs(step.pause?.duration);
        // `pause: {}` waits for a resume, which moves the step on (see `resume`).
        doneAt = ms === undefined ? undefined : state.stepStartedAt + ms;
      } else if ('analysis' in step) {
        const runName = `${name}-${state.currentHash}-${state.revision}-${state.stepIndex}`;
        let run = state.runs.find(r => r.name === runName);
        if (!run) {
          run = {
            name: runName,
            phase: 'Running',
            startedAt: state.stepStartedAt,
          };
          state.runs.push(run);
        }
        if (run.phase === 'Running' && elapsed >= this.#analysisMs) {
          if (isBroken(state.currentImages)) {
            run.phase = 'Failed';
            run.message =
              'Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)';
            state.aborted = {
              at: run.startedAt + this.#analysisMs,
              message: `RolloutAborted: Rollout aborted update to revision ${state.revision}: ${run.message}`,
            };
            return;
          }
          run.phase = 'Successful';
          run.message = 'Run Terminated';
        }
        doneAt =
          run.phase === 'Successful'
            ? run.startedAt + this.#analysisMs
            : undefined;
      }
      if (doneAt === undefined || now < doneAt) return;
      state.stepIndex += 1;
      state.stepStartedAt = doneAt;
    }
  }

  /** Argo CD's `resume` removed the pause conditions (or unset `spec.paused`). */
  resume(state: CanaryState, steps: number, now: number): void {
    state.manualPause = false;
    if (state.stepIndex < steps) {
      state.stepIndex += 1;
      state.stepStartedAt = now;
    }
  }

  /**
   * A resource action's patch of the live Rollout's status or `spec.paused`, applied as the
   * Argo Rollouts controller reacts to it.
   */
  applyPatch(
    appId: string,
    rollout: KubernetesObject,
    before: Record<string, unknown>,
    after: Record<string, unknown>,
    now: number,
  ): void {
    const state = this.observe(appId, rollout, now);
    // `pause` sets spec.paused, `resume` unsets it.
    state.manualPause = Boolean(
      (rollout.spec as { paused?: boolean } | undefined)?.paused,
    );
    const steps = stepsOf(rollout);
    const paused = (s: Record<string, unknown>) =>
      Array.isArray(s.pauseConditions) && s.pauseConditions.length > 0;
    if (after.abort && !state.aborted) {
      state.aborted = {
        at: now,
        message: `RolloutAborted: Rollout aborted update to revision ${state.revision}`,
      };
      return;
    }
    if (!after.abort && state.aborted) {
      // retry: the canary starts again from the first step.
      state.aborted = undefined;
      state.stepIndex = 0;
      state.stepStartedAt = now;
      return;
    }
    if (after.promoteFull) {
      state.promoteFull = true;
      state.manualPause = false;
    } else if (paused(before) && !paused(after)) {
      this.resume(state, steps.length, now);
    }
    this.#advance(rollout.metadata.name, state, steps, now);
  }

  /** `status` of the live Rollout, as Argo Rollouts v1 writes it. */
  statusOf(rollout: KubernetesObject, state: CanaryState) {
    const steps = stepsOf(rollout);
    const replicas = replicasOf(rollout);
    const done = state.stepIndex >= steps.length;
    const weight = done ? 100 : weightAt(steps, state.stepIndex);
    const canaryReplicas = state.aborted
      ? 0
      : Math.min(replicas, Math.ceil((replicas * weight) / 100));
    const step = steps[state.stepIndex];
    const pausedAtStep =
      !done && !state.aborted && step !== undefined && 'pause' in step;
    const run = [...state.runs]
      .reverse()
      .find(r =>
        r.name.startsWith(
          `${rollout.metadata.name}-${state.currentHash}-${state.revision}-`,
        ),
      );
    let phase = 'Progressing';
    let message = done ? '' : 'more replicas need to be updated';
    if (state.aborted) {
      phase = 'Degraded';
      message = state.aborted.message;
    } else if (state.manualPause) {
      phase = 'Paused';
      message = 'manually paused';
    } else if (pausedAtStep) {
      phase = 'Paused';
      message = 'CanaryPauseStep';
    } else if (done) {
      phase = 'Healthy';
    } else if (step && 'analysis' in step) {
      message = 'waiting for all steps to complete';
    }
    return {
      observedGeneration: String(rollout.metadata.generation ?? 1),
      phase,
      message,
      currentPodHash: state.currentHash,
      stableRS: state.stableHash,
      currentStepIndex: Math.min(state.stepIndex, steps.length),
      currentStepHash: shortHash(canonicalJson(steps), 9),
      replicas: done ? replicas : replicas + canaryReplicas,
      updatedReplicas: done ? replicas : canaryReplicas,
      readyReplicas: done ? replicas : replicas + canaryReplicas,
      availableReplicas: done ? replicas : replicas + canaryReplicas,
      ...(pausedAtStep
        ? {
            pauseConditions: [
              {
                reason: 'CanaryPauseStep',
                startTime: rfc3339(state.stepStartedAt),
              },
            ],
            controllerPause: true,
          }
        : {}),
      ...(state.aborted
        ? { abort: true, abortedAt: rfc3339(state.aborted.at) }
        : {}),
      canary: run
        ? {
            currentStepAnalysisRunStatus: {
              name: run.name,
              status: run.phase,
              ...(run.message ? { message: run.message } : {}),
            },
          }
        : {},
      selector: `app.kubernetes.io/name=${rollout.metadata.name}`,
    };
  }

  /** Argo CD's health of the Rollout (its `health.lua`: phase, Paused as Suspended). */
  healthOf(status: { phase: string; message: string }): HealthStatus {
    return {
      status: (status.phase === 'Paused'
        ? 'Suspended'
        : status.phase) as HealthStatus['status'],
      ...(status.message ? { message: status.message } : {}),
    };
  }
}

/** The weight the last `setWeight` at or before `index` set. */
export function weightAt(steps: CanaryStep[], index: number): number {
  let weight = 0;
  for (const step of steps.slice(0, index + 1))
    if ('setWeight' in step) weight = step.setWeight;
  return weight;
}

/** Argo CD's health of an AnalysisRun (its `health.lua`). */
export function analysisRunHealth(run: SimulatedAnalysisRun): HealthStatus {
  if (run.phase === 'Running')
    return { status: 'Progressing', message: 'Analysis run is running' };
  if (run.phase === 'Successful')
    return {
      status: 'Healthy',
      message: run.message ?? 'Analysis run completed successfully',
    };
  return { status: 'Degraded', message: run.message ?? 'Analysis run failed' };
}
