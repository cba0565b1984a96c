import type { Application } from '../argocd/types';
import type { ApplicationMergePatch } from '../client/patchRequest';

/**
 * Annotations on an Application that say who paused its auto-sync from the portal, when and
 * why. They live on the Application itself, so every backend replica and Argo CD's own UI
 * see them, and they are written in the same patch that turns auto-sync off.
 *
 * @public
 */
export const AUTO_SYNC_PAUSE_ANNOTATIONS = {
  by: 'kupe.cloud/auto-sync-paused-by',
  at: 'kupe.cloud/auto-sync-paused-at',
  reason: 'kupe.cloud/auto-sync-paused-reason',
  /** When the owning team was reminded of this pause: once per pause. */
  remindedAt: 'kupe.cloud/auto-sync-pause-reminded-at',
} as const;

/**
 * Who paused an application's auto-sync, when and why, as the pause annotations record it.
 *
 * @public
 */
export interface AutoSyncPauseRecord {
  /** The portal user (a user entity ref). */
  by: string;
  /** RFC 3339 time of the pause. */
  at: string;
  /** Why, as the user gave it (e.g. an incident id). */
  reason: string;
  /** When the owning team was reminded that it is still paused. */
  remindedAt?: string;
}

/**
 * The merge patch that pauses auto-sync: `spec.syncPolicy.automated.enabled: false` (Argo CD
 * v3's switch, which its UI toggles), so prune, self-heal and allow-empty stay as they are
 * and resuming restores exactly the policy that was there, plus the pause annotations.
 *
 * @public
 */
export function autoSyncPausePatch(
  record: AutoSyncPauseRecord,
): ApplicationMergePatch {
  return {
    metadata: {
      annotations: {
        [AUTO_SYNC_PAUSE_ANNOTATIONS.by]: record.by,
        [AUTO_SYNC_PAUSE_ANNOTATIONS.at]: record.at,
        [AUTO_SYNC_PAUSE_ANNOTATIONS.reason]: record.reason,
        // A reminder of an earlier pause is not one of this pause.
        [AUTO_SYNC_PAUSE_ANNOTATIONS.remindedAt]: null,
      },
    },
    spec: { syncPolicy: { automated: { enabled: false } } },
  };
}

/**
 * The merge patch that records the reminder of a pause on the Application, so every replica
 * knows it was sent.
 *
 * @public
 */
export function autoSyncPauseReminderPatch(at: string): ApplicationMergePatch {
  return {
    metadata: { annotations: { [AUTO_SYNC_PAUSE_ANNOTATIONS.remindedAt]: at } },
  };
}

/**
 * The merge patch that removes the pause annotations, e.g. once someone turned auto-sync
 * back on in Argo CD's own UI.
 *
 * @public
 */
export function autoSyncPauseRecordRemoval(): ApplicationMergePatch {
  return {
    metadata: {
      annotations: {
        [AUTO_SYNC_PAUSE_ANNOTATIONS.by]: null,
        [AUTO_SYNC_PAUSE_ANNOTATIONS.at]: null,
        [AUTO_SYNC_PAUSE_ANNOTATIONS.reason]: null,
        [AUTO_SYNC_PAUSE_ANNOTATIONS.remindedAt]: null,
      },
    },
  };
}

/**
 * The merge patch that resumes auto-sync (`enabled: true`, the rest of the policy untouched)
 * and removes the pause annotations.
 *
 * @public
 */
export function autoSyncResumePatch(): ApplicationMergePatch {
  return {
    ...autoSyncPauseRecordRemoval(),
    spec: { syncPolicy: { automated: { enabled: true } } },
  };
}

/**
 * Whether an app's auto-sync is paused: it has an automated policy that is switched off
 * (`enabled: false`). A manual app (no `automated`) is not paused; it never synced by itself.
 *
 * @public
 */
export function isAutoSyncPaused(app: Pick<Application, 'spec'>): boolean {
  return app.spec?.syncPolicy?.automated?.enabled === false;
}

/**
 * The pause annotations of an app, when all three are there.
 *
 * @public
 */
export function readAutoSyncPauseRecord(
  annotations: Record<string, string> | undefined,
): AutoSyncPauseRecord | undefined {
  const by = annotations?.[AUTO_SYNC_PAUSE_ANNOTATIONS.by];
  const at = annotations?.[AUTO_SYNC_PAUSE_ANNOTATIONS.at];
  const reason = annotations?.[AUTO_SYNC_PAUSE_ANNOTATIONS.reason];
  if (!by || !at || reason === undefined) return undefined;
  const remindedAt = annotations?.[AUTO_SYNC_PAUSE_ANNOTATIONS.remindedAt];
  return remindedAt ? { by, at, reason, remindedAt } : { by, at, reason };
}

/**
 * What owns an Application's definition, so that a change made through the API would be
 * reverted: the ApplicationSet that generated it, or the parent Application (app of apps)
 * that deploys it from Git.
 *
 * @public
 */
export interface ApplicationPolicyOwner {
  /** An ApplicationSet, or a parent Application (app of apps). */
  kind: 'ApplicationSet' | 'Application';
  /** The owner's name. */
  name: string;
  /** How the owner was recognised, for the message. */
  via: 'ownerReference' | 'tracking-id' | 'instance-label';
}

// Argo CD's resource tracking (util/argo/resource_tracking.go): the annotation holds
// `<app>:<group>/<kind>:<namespace>/<name>`; label tracking writes the app's name.
const TRACKING_ID_ANNOTATION = 'argocd.argoproj.io/tracking-id';
const INSTANCE_LABEL = 'app.kubernetes.io/instance';

/**
 * The ApplicationSet or parent Application that manages an Application's spec, from the
 * Argo CD object alone: an owner reference of kind ApplicationSet (what the ApplicationSet
 * controller sets), else the tracking-id annotation Argo CD writes on every resource an
 * application deploys (annotation tracking, v3's default), else the `app.kubernetes.io/instance`
 * label of label tracking when it names another app. Undefined when the app stands alone.
 *
 * @public
 */
export function findPolicyOwner(app: {
  metadata: Pick<Application['metadata'], 'name' | 'labels' | 'annotations'> & {
    ownerReferences?: Array<{
      apiVersion?: string;
      kind?: string;
      name?: string;
    }>;
  };
}): ApplicationPolicyOwner | undefined {
  const { metadata } = app;
  const set = metadata.ownerReferences?.find(
    ref =>
      ref.kind === 'ApplicationSet' &&
      (ref.apiVersion ?? '').startsWith('argoproj.io/'),
  );
  if (set?.name)
    return { kind: 'ApplicationSet', name: set.name, via: 'ownerReference' };
  const tracking = metadata.annotations?.[TRACKING_ID_ANNOTATION];
  const parent = tracking
    ? /^([^:]+):[^:]*\/[^:]*:[^:]*\/[^:]*$/.exec(tracking)?.[1]
    : undefined;
  if (parent) return { kind: 'Application', name: parent, via: 'tracking-id' };
  const instance = metadata.labels?.[INSTANCE_LABEL];
  if (instance && instance !== metadata.name)
    return { kind: 'Application', name: instance, via: 'instance-label' };
  return undefined;
}
