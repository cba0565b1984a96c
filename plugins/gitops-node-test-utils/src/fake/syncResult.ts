import type {
  ResourceResult,
  ResourceStatus,
  SyncOperation,
} from '@kupe/plugin-gitops-node';

/**
 * `syncResult.resources` as Argo CD reports a sync that applied every resource, shared so the
 * seeded history and the simulated controller cannot describe a sync differently. A dry run
 * says so in each message, as kubectl's output does.
 */
export function syncedResourceResults(
  resources: readonly ResourceStatus[],
  options: { dryRun?: boolean } = {},
): ResourceResult[] {
  const dryRun = options.dryRun ? ' (dry run)' : '';
  return resources.map(r =>
    resourceResult(
      r,
      'Synced',
      `${(r.kind ?? '').toLowerCase()}/${r.name} configured${dryRun}`,
    ),
  );
}

/** One entry of `syncResult.resources`. */
export function resourceResult(
  r: ResourceStatus,
  status: ResourceResult['status'],
  message: string,
): ResourceResult {
  return {
    group: r.group ?? '',
    version: r.version ?? 'v1',
    kind: r.kind ?? '',
    namespace: r.namespace ?? '',
    name: r.name ?? '',
    status,
    message,
    hookPhase: 'Running',
    syncPhase: 'Sync',
  };
}

/** Whether a sync operation's `resources` (none: all) name a resource. */
export function isSelectedForSync(
  sync: Pick<SyncOperation, 'resources'>,
  resource: {
    group?: string;
    kind?: string;
    name?: string;
    namespace?: string;
  },
): boolean {
  // `SyncOperationResource.HasIdentity`: group, kind and name, and the namespace if it has one.
  return (
    !sync.resources?.length ||
    sync.resources.some(
      r =>
        (r.group ?? '') === (resource.group ?? '') &&
        r.kind === resource.kind &&
        r.name === resource.name &&
        (!r.namespace || r.namespace === (resource.namespace ?? '')),
    )
  );
}

/**
 * What a sync operation does to an app's resources as Argo CD's sync context decides it: only
 * the selected `resources`; with `ApplyOutOfSyncOnly=true` only those not Synced; resources
 * that require pruning deleted when `prune`, else skipped. The rest are applied.
 */
export function planSync(
  sync: Pick<SyncOperation, 'resources' | 'syncOptions' | 'prune'>,
  resources: readonly ResourceStatus[],
): {
  apply: ResourceStatus[];
  prune: ResourceStatus[];
  skipPrune: ResourceStatus[];
} {
  const outOfSyncOnly = (sync.syncOptions ?? []).includes(
    'ApplyOutOfSyncOnly=true',
  );
  const selected = resources.filter(r => isSelectedForSync(sync, r));
  const orphans = selected.filter(r => r.requiresPruning);
  return {
    apply: selected.filter(
      r => !r.requiresPruning && (!outOfSyncOnly || r.status !== 'Synced'),
    ),
    prune: sync.prune ? orphans : [],
    skipPrune: sync.prune ? [] : orphans,
  };
}
