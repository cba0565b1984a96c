import type {
  ApplicationSourceSummary,
  ApplicationSummary,
} from '@kupe/plugin-gitops-common';
import type { IndexedApplication } from '../applicationIndex/IndexedApplication';
import type { InstanceFreshness } from '../applicationIndex/InstanceIndex';

/** Link into the Argo CD UI, which routes apps as `<namespace>/<name>`. */
export function argoCdUiUrl(
  uiUrl: string | undefined,
  app: IndexedApplication,
): string | undefined {
  if (!uiUrl) return undefined;
  const base = uiUrl.replace(/\/+$/, '');
  return `${base}/applications/${encodeURIComponent(
    app.appNamespace,
  )}/${encodeURIComponent(app.name)}`;
}

/**
 * Every source with what runs from it and what Argo CD compares it against: the OutOfSync
 * target of a multi-source app is in `sync.revisions` (its `sync.revision` is empty), and a
 * chart's revisions are chart versions.
 */
function sourceSummaries(app: IndexedApplication): ApplicationSourceSummary[] {
  const sources = app.sources ?? (app.source ? [app.source] : []);
  const multi = sources.length > 1 || app.revisions !== undefined;
  let syncRevisions = app.revisions;
  if (!multi) syncRevisions = app.revision ? [app.revision] : undefined;
  const deployed =
    app.deployedRevisions ??
    (app.syncStatus === 'Synced' ? syncRevisions : undefined);
  return sources.map((source, i) => ({
    ...source,
    deployedRevision: deployed?.[i],
    syncRevision: syncRevisions?.[i],
  }));
}

/**
 * The wire summary of an indexed application, with its instance's freshness as of this read.
 * Built for each answer from the index's record (which the index replaces on every change,
 * never changes): nothing keeps a summary, so remembered views hold the records alone, and
 * the record's own values (destination, operation, source, images, parent) are shared, not
 * copied. A summary is for serializing: nothing may change it.
 */
export function toApplicationSummary(
  app: IndexedApplication,
  freshness: InstanceFreshness,
  uiUrl: string | undefined,
): ApplicationSummary {
  return {
    instance: app.instance,
    name: app.name,
    appNamespace: app.appNamespace,
    project: app.project,
    tenant: app.tenant,
    environment: app.environment,
    destination: app.destination,
    sync: {
      status: app.syncStatus,
      revision: app.revision,
      revisions: app.revisions,
    },
    health: { status: app.healthStatus, message: app.healthMessage },
    operation: app.operation,
    syncPolicy: app.syncPolicy,
    source: app.source,
    sources: sourceSummaries(app),
    images: app.images,
    lastSyncedAt: app.lastSyncedAt,
    deployedRevision: app.deployedRevision,
    outOfSyncSince: app.outOfSyncSince,
    autoSyncPause: app.autoSyncPause && {
      by: app.autoSyncPause.by,
      at: app.autoSyncPause.at,
      reason: app.autoSyncPause.reason,
    },
    argoCdUrl: argoCdUiUrl(uiUrl, app),
    parent: app.parent,
    historyPending: app.historyPending,
    stale: freshness.stale,
    ageMs: freshness.ageMs,
  };
}
