import type { HealthStatusCode } from '@kupe/plugin-gitops-node';
import { KubernetesObject, imagesOf } from '../manifests/KubernetesObject';

/** Annotation a manifest may carry to force its health in the sandbox. */
export const SANDBOX_HEALTH_ANNOTATION = 'sandbox.kupe.cloud/health';

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
/** Kinds Argo CD has a health check for; others (ConfigMap, Secret, ...) carry no health. */
const WITH_HEALTH = new Set([
  ...WORKLOADS,
  'Service',
  'Ingress',
  'PersistentVolumeClaim',
  'Pod',
  'ReplicaSet',
]);

/**
 * Health of a live object, as gitops-engine's checks would see it in a cluster where
 * workloads need `progressMs` to roll out: an image tag containing `broken` never becomes
 * available (Degraded), the annotation overrides everything.
 */
export function resourceHealth(
  object: KubernetesObject,
  appliedAt: number,
  now: number,
  progressMs: number,
): HealthStatusCode | undefined {
  const forced = object.metadata.annotations?.[SANDBOX_HEALTH_ANNOTATION];
  if (forced) return forced as HealthStatusCode;
  if (!WITH_HEALTH.has(object.kind)) return undefined;
  if (!WORKLOADS.has(object.kind)) return 'Healthy';
  if (now - appliedAt < progressMs) return 'Progressing';
  const broken = imagesOf(object).some(image => /:.*broken/.test(image));
  return broken ? 'Degraded' : 'Healthy';
}

const SEVERITY: HealthStatusCode[] = [
  'Healthy',
  'Suspended',
  'Progressing',
  'Missing',
  'Degraded',
  'Unknown',
];

/** gitops-engine's app health: the worst resource health (Unknown is not counted). */
export function worstHealth(
  statuses: Array<HealthStatusCode | undefined>,
): HealthStatusCode {
  let worst: HealthStatusCode = 'Healthy';
  for (const s of statuses) {
    if (!s || s === 'Unknown') continue;
    if (SEVERITY.indexOf(s) > SEVERITY.indexOf(worst)) worst = s;
  }
  return worst;
}
