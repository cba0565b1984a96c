/**
 * The platform's five sync policies and their exact Argo CD encoding (`spec.syncPolicy`).
 * Argo CD treats auto-sync as on iff `automated` is present and `enabled` is not false.
 */

/**
 * Every sync policy the platform offers, from manual to automated with self-heal.
 *
 * @public
 */
export const SYNC_POLICIES = [
  'manual',
  'auto',
  'auto-prune',
  'auto-self-heal',
  'auto-prune-self-heal',
] as const;

/**
 * How an application syncs: manual, automated, or automated with pruning and self-heal.
 *
 * @public
 */
export type SyncPolicyMode = (typeof SYNC_POLICIES)[number];

/**
 * The part of an Argo CD `spec.syncPolicy` the mode decides.
 *
 * @public
 */
export interface ArgoSyncPolicy {
  /** Set when Argo CD syncs on its own. */
  automated?: {
    prune?: boolean;
    selfHeal?: boolean;
    enabled?: boolean;
    allowEmpty?: boolean;
  };
  /** Argo CD's sync options, e.g. `CreateNamespace=true`. */
  syncOptions?: string[];
}

/**
 * Whether a value is one of the `SYNC_POLICIES` (a type guard for form and action input).
 *
 * @public
 */
export function isSyncPolicyMode(value: unknown): value is SyncPolicyMode {
  return (
    typeof value === 'string' &&
    (SYNC_POLICIES as readonly string[]).includes(value)
  );
}

/**
 * Encodes a mode as Argo CD does: manual has no `automated` key; auto is `automated: {}`.
 *
 * @public
 */
export function toArgoSyncPolicy(
  mode: SyncPolicyMode,
  syncOptions: string[] = [],
): ArgoSyncPolicy {
  const policy: ArgoSyncPolicy = {};
  if (mode !== 'manual') {
    const automated: NonNullable<ArgoSyncPolicy['automated']> = {};
    if (mode === 'auto-prune' || mode === 'auto-prune-self-heal')
      automated.prune = true;
    if (mode === 'auto-self-heal' || mode === 'auto-prune-self-heal')
      automated.selfHeal = true;
    policy.automated = automated;
  }
  if (syncOptions.length > 0) policy.syncOptions = [...syncOptions];
  return policy;
}

/**
 * Reads the mode back from an Application's `spec.syncPolicy`.
 *
 * @public
 */
export function fromArgoSyncPolicy(
  policy: ArgoSyncPolicy | undefined,
): SyncPolicyMode {
  const automated = policy?.automated;
  if (!automated || automated.enabled === false) return 'manual';
  if (automated.prune && automated.selfHeal) return 'auto-prune-self-heal';
  if (automated.prune) return 'auto-prune';
  if (automated.selfHeal) return 'auto-self-heal';
  return 'auto';
}

/**
 * Whether Argo CD syncs the app by itself (and so refuses its own rollback).
 *
 * @public
 */
export function isAutoSync(policy: ArgoSyncPolicy | undefined): boolean {
  return fromArgoSyncPolicy(policy) !== 'manual';
}
