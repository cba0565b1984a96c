import type { ResourceAction } from '@kupe/plugin-gitops-node';
import { ArgoCdApiError, GrpcCode } from './errors';

/**
 * A live Kubernetes object as the fake's resource endpoints read and patch it (JSON).
 *
 * @public
 */
export interface LiveManifest {
  apiVersion?: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    generation?: number;
    [key: string]: unknown;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

interface RolloutView {
  spec: {
    paused?: boolean;
    strategy?: { canary?: { steps?: unknown[] }; blueGreen?: unknown };
  };
  status: {
    pauseConditions?: unknown[];
    currentPodHash?: string;
    stableRS?: string;
    abort?: boolean;
    observedGeneration?: string;
    currentStepIndex?: number;
  };
}

const ROLLOUT = 'argoproj.io/Rollout';

function keyOf(object: LiveManifest): string {
  const group = object.apiVersion?.includes('/')
    ? object.apiVersion.split('/')[0]
    : '';
  return group ? `${group}/${object.kind}` : object.kind;
}

function view(object: LiveManifest): RolloutView {
  return {
    spec: (object.spec ?? {}) as RolloutView['spec'],
    status: (object.status ?? {}) as RolloutView['status'],
  };
}

/** Argo Rollouts v0.10+ records a numeric `observedGeneration` (older ones a hash). */
function observesGenerations(object: LiveManifest): boolean {
  const observed = Number(view(object).status.observedGeneration);
  return (
    Number.isFinite(observed) && observed <= (object.metadata.generation ?? 0)
  );
}

/**
 * `resource_customizations/argoproj.io/Rollout/actions/discovery.lua` of Argo CD v3.5.1: the
 * actions offered for a live Rollout and which are disabled. Argo CD collects them in a Go
 * map, so their order in its answer is not defined; the fake answers them sorted by name.
 * Other kinds: none (the fake models only the Rollout's built-in actions).
 */
export function discoverResourceActions(
  object: LiveManifest,
): ResourceAction[] {
  if (keyOf(object) !== ROLLOUT) return [];
  const { spec, status } = view(object);
  const paused =
    status.pauseConditions !== undefined
      ? status.pauseConditions.length > 0
      : Boolean(spec.paused);
  const fullyPromoted = status.currentPodHash === status.stableRS;
  const steps = spec.strategy?.canary?.steps;
  let promoteFullDisabled = true;
  if (object.status && !fullyPromoted) {
    promoteFullDisabled = observesGenerations(object)
      ? false
      : spec.strategy?.blueGreen !== undefined;
  }
  const actions: ResourceAction[] = [
    { name: 'restart', disabled: false, displayName: 'Restart Pods' },
    { name: 'resume', disabled: !paused },
    { name: 'abort', disabled: fullyPromoted || Boolean(status.abort) },
    { name: 'retry', disabled: fullyPromoted || !status.abort },
    {
      name: 'pause',
      disabled: fullyPromoted || Boolean(status.abort) || Boolean(spec.paused),
    },
    { name: 'promote-full', disabled: promoteFullDisabled },
    {
      name: 'skip-current-step',
      disabled:
        !steps ||
        spec.strategy?.canary === undefined ||
        status.currentStepIndex === steps.length,
    },
  ];
  return actions.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Runs a built-in action's Lua (`actions/<action>/action.lua`) on a copy of the live Rollout
 * and returns the object to patch. Argo CD runs an action whatever discovery says of
 * `disabled`; an action without a script fails as `GetResourceAction` does (gRPC Unknown, 500).
 */
export function runBuiltInAction(
  live: LiveManifest,
  action: string,
  now: Date,
): LiveManifest {
  const object = structuredClone(live);
  const spec = (object.spec = object.spec ?? {});
  const status = object.status;
  const missing = () =>
    new ArgoCdApiError(
      GrpcCode.Unknown,
      'error getting Lua resource action: built-in script does not exist',
    );
  if (keyOf(object) !== ROLLOUT) throw missing();
  switch (action) {
    case 'abort':
      object.status = { ...status, abort: true };
      return object;
    case 'retry':
      if (status) delete status.abort;
      return object;
    case 'pause':
      spec.paused = true;
      return object;
    case 'resume':
      if (
        Array.isArray(status?.pauseConditions) &&
        status.pauseConditions.length
      )
        delete status.pauseConditions;
      if (spec.paused) spec.paused = false;
      return object;
    case 'restart':
      spec.restartAt = `${now.toISOString().slice(0, 19)}Z`;
      return object;
    case 'promote-full':
      if (!status) return object;
      if (observesGenerations(object)) {
        status.promoteFull = true;
      } else {
        delete status.abort;
        const steps = view(object).spec.strategy?.canary?.steps;
        if (steps) status.currentStepIndex = steps.length;
      }
      return object;
    case 'skip-current-step': {
      const steps = view(object).spec.strategy?.canary?.steps;
      const index = Number(status?.currentStepIndex);
      if (status && steps && index < steps.length) {
        delete status.pauseConditions;
        status.currentStepIndex = index + 1;
      }
      return object;
    }
    default:
      throw missing();
  }
}
