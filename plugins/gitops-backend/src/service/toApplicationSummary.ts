import type { ApplicationSummary } from '@kupe/plugin-gitops-common';
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

/** The wire summary of an indexed application. */
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
    destination: { ...app.destination },
    sync: {
      status: app.syncStatus,
      revision: app.revision,
      revisions: app.revisions,
    },
    health: { status: app.healthStatus, message: app.healthMessage },
    operation: app.operation ? { ...app.operation } : undefined,
    syncPolicy: app.syncPolicy,
    source: app.source ? { ...app.source } : undefined,
    images: [...app.images],
    lastSyncedAt: app.lastSyncedAt,
    deployedRevision: app.deployedRevision,
    outOfSyncSince: app.outOfSyncSince,
    argoCdUrl: argoCdUiUrl(uiUrl, app),
    stale: freshness.stale,
    ageMs: freshness.ageMs,
  };
}
