import type {
  ArgoRollout,
  ArgoRolloutAction,
  ArgoRolloutStep,
} from '@kupe/plugin-gitops-common';
import type { ResourceAction, ResourceNode } from '@kupe/plugin-gitops-node';

/** The parts of a live Argo Rollouts `Rollout` (argoproj.io/v1alpha1) the portal reads. */
export interface LiveRollout {
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
  };
  spec?: {
    paused?: boolean;
    template?: { spec?: { containers?: Array<{ image?: string }> } };
    strategy?: {
      canary?: { steps?: Array<Record<string, unknown>> };
      blueGreen?: Record<string, unknown>;
    };
  };
  status?: {
    phase?: string;
    message?: string;
    currentStepIndex?: number;
    currentPodHash?: string;
    stableRS?: string;
    abort?: boolean;
    pauseConditions?: Array<{ reason?: string }>;
    canary?: {
      weights?: { canary?: { weight?: number } };
      currentStepAnalysisRunStatus?: {
        name?: string;
        status?: string;
        message?: string;
      };
    };
    blueGreen?: { activeSelector?: string; previewSelector?: string };
  };
}

/** The Argo CD resource action each portal action runs. */
export const ARGO_CD_ACTION: Record<ArgoRolloutAction, string> = {
  promote: 'resume',
  'promote-full': 'promote-full',
  abort: 'abort',
  retry: 'retry',
};

function stepOf(step: Record<string, unknown>): ArgoRolloutStep {
  if (typeof step.setWeight === 'number')
    return {
      kind: 'setWeight',
      weight: step.setWeight,
      text: `Set weight ${step.setWeight}%`,
    };
  if (step.pause && typeof step.pause === 'object') {
    const duration = (step.pause as { duration?: unknown }).duration;
    return duration === undefined
      ? { kind: 'pause', text: 'Pause until promoted' }
      : {
          kind: 'pause',
          duration: String(duration),
          text: `Pause ${String(duration)}`,
        };
  }
  if (step.analysis && typeof step.analysis === 'object') {
    const templates = (
      (step.analysis as { templates?: Array<{ templateName?: string }> })
        .templates ?? []
    )
      .map(t => t.templateName)
      .filter(Boolean);
    return {
      kind: 'analysis',
      text: `Analysis ${templates.join(', ')}`.trim(),
    };
  }
  return { kind: 'other', text: Object.keys(step)[0] ?? 'step' };
}

/** The weight of the last `setWeight` at or before step `index` (no traffic routing). */
function weightBySteps(steps: ArgoRolloutStep[], index: number): number {
  let weight = 0;
  for (const step of steps.slice(0, index + 1))
    if (step.kind === 'setWeight') weight = step.weight ?? weight;
  return weight;
}

/** The images of the ReplicaSet of `hash` among the Rollout's children in the tree. */
function versionOf(
  children: ResourceNode[],
  name: string,
  hash: string | undefined,
) {
  if (!hash) return undefined;
  const rs = children.find(
    n => n.kind === 'ReplicaSet' && n.name === `${name}-${hash}`,
  );
  return { podTemplateHash: hash, images: rs?.images ?? [] };
}

/**
 * What the portal shows of a Rollout: its live manifest (status as Argo Rollouts wrote it),
 * its children in Argo CD's resource tree (ReplicaSets with their images, AnalysisRuns with
 * the health Argo CD gave them) and the actions Argo CD's discovery offers now.
 */
export function toArgoRollout(
  live: LiveRollout,
  node: ResourceNode,
  tree: ResourceNode[],
  offered: ResourceAction[],
): ArgoRollout {
  const status = live.status ?? {};
  const name = live.metadata.name;
  const children = tree.filter(n =>
    n.parentRefs?.some(p => p.uid === node.uid),
  );
  const canarySteps = live.spec?.strategy?.canary?.steps;
  const steps = (canarySteps ?? []).map(stepOf);
  const fullyPromoted =
    !!status.currentPodHash && status.currentPodHash === status.stableRS;
  const current = status.currentStepIndex ?? (fullyPromoted ? steps.length : 0);
  let weight: number;
  if (fullyPromoted) weight = 100;
  else if (status.abort) weight = 0;
  else
    weight =
      status.canary?.weights?.canary?.weight ?? weightBySteps(steps, current);
  const pauseReason = status.pauseConditions?.[0]?.reason;
  const paused = !!pauseReason || !!live.spec?.paused;
  const enabled = new Set(offered.filter(a => !a.disabled).map(a => a.name));
  const runs = tree
    .filter(n => n.kind === 'AnalysisRun' && children.includes(n))
    .map(n => ({
      name: n.name ?? '',
      phase: analysisPhase(n),
      ...(n.health?.message ? { message: n.health.message } : {}),
    }));
  const currentRun = status.canary?.currentStepAnalysisRunStatus;
  if (currentRun?.name && !runs.some(r => r.name === currentRun.name))
    runs.push({
      name: currentRun.name,
      phase: currentRun.status ?? 'Pending',
      ...(currentRun.message ? { message: currentRun.message } : {}),
    });
  const stable = versionOf(children, name, status.stableRS);
  const canary = fullyPromoted
    ? undefined
    : versionOf(children, name, status.currentPodHash);
  return {
    namespace: live.metadata.namespace ?? node.namespace ?? '',
    name,
    strategy: live.spec?.strategy?.blueGreen ? 'blueGreen' : 'canary',
    phase: status.phase ?? 'Progressing',
    ...(status.message ? { message: status.message } : {}),
    ...(live.metadata.annotations?.['rollout.argoproj.io/revision']
      ? { revision: live.metadata.annotations['rollout.argoproj.io/revision'] }
      : {}),
    ...(canarySteps ? { currentStep: Math.min(current, steps.length) } : {}),
    steps,
    ...(canarySteps ? { weight } : {}),
    ...(stable ? { stable } : {}),
    ...(canary
      ? {
          canary: {
            ...canary,
            images: canary.images.length
              ? canary.images
              : (live.spec?.template?.spec?.containers ?? []).flatMap(c =>
                  c.image ? [c.image] : [],
                ),
          },
        }
      : {}),
    paused,
    ...(pauseReason || live.spec?.paused
      ? { pauseReason: pauseReason ?? 'manual' }
      : {}),
    aborted: !!status.abort,
    ...(status.blueGreen?.activeSelector
      ? { activeSelector: status.blueGreen.activeSelector }
      : {}),
    ...(status.blueGreen?.previewSelector
      ? { previewSelector: status.blueGreen.previewSelector }
      : {}),
    analysisRuns: runs,
    actions: (Object.keys(ARGO_CD_ACTION) as ArgoRolloutAction[]).filter(a =>
      enabled.has(ARGO_CD_ACTION[a]),
    ),
  };
}

/** An AnalysisRun's phase from the health Argo CD's `health.lua` gave it. */
function analysisPhase(node: ResourceNode): string {
  switch (node.health?.status) {
    case 'Healthy':
      return 'Successful';
    case 'Degraded':
      return node.health.message?.includes('error') ? 'Error' : 'Failed';
    case 'Unknown':
      return 'Inconclusive';
    default:
      return 'Running';
  }
}
