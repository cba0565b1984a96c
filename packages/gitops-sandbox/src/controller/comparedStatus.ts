import type {
  Application,
  ApplicationStatus,
  HealthStatusCode,
  ResourceStatus,
} from '@kupe/plugin-gitops-node';
import { isMultiSource, type DesiredState } from './desiredState';

/** What one comparison of an app's desired state with its live objects found. */
export interface Comparison {
  synced: boolean;
  health: HealthStatusCode;
  resources: ResourceStatus[];
  /** Images of the live workloads (Argo CD reports what runs, not what Git asks for). */
  images: string[];
}

/**
 * Writes a comparison into an app's status as Argo CD's controller does: `sync.revisions`
 * (source order) and `sync.comparedTo.sources` with `sourceTypes` for a multi-source app,
 * else `sync.revision`, `comparedTo.source` and `sourceType`; health with a new transition
 * time only when it changed. `now` stamps that transition.
 */
export function writeComparison(
  app: Application,
  desired: DesiredState,
  comparison: Comparison,
  now: string,
): void {
  const status: ApplicationStatus = (app.status = app.status ?? {});
  const multi = isMultiSource(app);
  delete status.conditions;
  status.sync = {
    status: comparison.synced ? 'Synced' : 'OutOfSync',
    ...(multi
      ? { revisions: desired.revisions }
      : { revision: desired.revisions[0] }),
    comparedTo: {
      ...(multi ? { sources: app.spec.sources } : { source: app.spec.source }),
      destination: app.spec.destination,
    },
  };
  status.resources = comparison.resources;
  if (status.health?.status !== comparison.health)
    status.health = { status: comparison.health, lastTransitionTime: now };
  status.summary = comparison.images.length
    ? { images: comparison.images }
    : {};
  if (multi) {
    status.sourceTypes = desired.sourceTypes;
    delete status.sourceType;
  } else status.sourceType = desired.rendered.sourceType;
  status.controllerNamespace = 'argocd';
}

/** A target state that could not be loaded: Unknown, with Argo CD's ComparisonError. */
export function writeComparisonError(
  app: Application,
  error: string,
  now: string,
): void {
  const status = (app.status = app.status ?? {});
  const message = `Failed to load target state: ${error}`;
  if (status.conditions?.[0]?.message === message) return;
  status.conditions = [
    { type: 'ComparisonError', message, lastTransitionTime: now },
  ];
  status.sync = { ...status.sync, status: 'Unknown' };
  status.reconciledAt = now;
}
