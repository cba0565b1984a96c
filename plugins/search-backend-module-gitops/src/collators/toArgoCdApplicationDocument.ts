import {
  ENVIRONMENT_LABEL,
  applicationResourceRef,
  normalizeEnvironment,
  type TenantNaming,
} from '@kupe/plugin-gitops-common';
import type {
  Application,
  ApplicationSource,
  OwningEntity,
} from '@kupe/plugin-gitops-node';
import { exactMatchKeysOf } from '../exactMatch/exactMatchKeys';
import type { ArgoCdApplicationDocument } from './ArgoCdApplicationDocument';

const EXACT_VERSION = /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]*)?$/;

// A chart with hundreds of images would otherwise dominate the index entry of one app.
const MAX_IMAGES = 50;

/**
 * The chart version a Helm-repository source runs, as far as the collator's lean listing
 * tells: an exact `targetRevision` is it; otherwise, for a single-source app Argo CD reports
 * Synced, `status.sync.revision` (a multi-source app's `status.sync.revisions` is not on
 * Argo CD's `fields=` list, so a range there stays a range).
 */
function chartVersionOf(
  app: Application,
  source: ApplicationSource,
  multi: boolean,
): string | undefined {
  if (!source.chart) return undefined;
  if (source.targetRevision && EXACT_VERSION.test(source.targetRevision)) {
    return source.targetRevision.replace(/^v/, '');
  }
  const synced = app.status?.sync;
  return !multi && synced?.status === 'Synced' && synced.revision
    ? synced.revision
    : undefined;
}

/** One source as searchable lines: repository, path, chart with its version, revision. */
function sourceText(
  source: ApplicationSource,
  chartVersion: string | undefined,
): string {
  return [
    `repository ${source.repoURL}`,
    source.path && `path ${source.path}`,
    source.chart &&
      `chart ${source.chart}${
        chartVersion ? ` ${chartVersion} ${source.chart}:${chartVersion}` : ''
      }`,
    source.ref && `values ${source.ref}`,
    source.targetRevision && `revision ${source.targetRevision}`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** Maps one Application (as projected by the collator's `fields=`) to its search document. */
export function toArgoCdApplicationDocument(input: {
  app: Application;
  instance: { name: string; uiUrl: string };
  naming: TenantNaming;
  owner: OwningEntity | undefined;
  /** Namespace of apps whose Application resource names none (Argo CD's own). */
  defaultAppNamespace: string;
  /** The quarantined versions the app runs. */
  quarantines?: Array<{ version: string; reason: string }>;
}): ArgoCdApplicationDocument {
  const { app, instance, naming, owner } = input;
  const name = app.metadata.name ?? '';
  const appNamespace = app.metadata.namespace || input.defaultAppNamespace;
  const project = app.spec?.project ?? '';
  const tenant = naming.tenantOfProject(project) ?? '';
  const labels = app.metadata.labels ?? {};
  const destination = app.spec?.destination ?? {};
  const labelled = labels[ENVIRONMENT_LABEL]?.trim();
  // Same rule as the gitops backend: the label, else the tenant's short cluster name.
  const environment = labelled
    ? normalizeEnvironment(labelled)
    : (tenant && naming.shortClusterOf(tenant, destination.name)) || '';
  const cluster = destination.name ?? destination.server ?? '';
  const multi = Boolean(app.spec?.sources?.length);
  const sources = multi
    ? app.spec.sources!
    : [app.spec?.source].filter((s): s is ApplicationSource => !!s);
  const source = sources[0];
  const syncStatus = app.status?.sync?.status ?? '';
  const healthStatus = app.status?.health?.status ?? '';
  const images = (app.status?.summary?.images ?? []).slice(0, MAX_IMAGES);

  const text = [
    name,
    tenant && `tenant ${tenant}`,
    `project ${project}`,
    environment && `environment ${environment}`,
    cluster && `cluster ${cluster}`,
    destination.namespace && `namespace ${destination.namespace}`,
    ...sources.map(s => sourceText(s, chartVersionOf(app, s, multi))),
    // whole references only: a version, image or tag typed alone is found by its exact-match
    // keys (see exactMatch/), not by words of this text
    images.length > 0 && `images ${images.join(' ')}`,
    syncStatus && `sync ${syncStatus}`,
    healthStatus && `health ${healthStatus}`,
    ...(input.quarantines ?? []).map(
      q => `runs quarantined version ${q.version}: ${q.reason}`,
    ),
  ]
    .filter(Boolean)
    .join('\n');

  const resourceRef = applicationResourceRef({
    instance: instance.name,
    appNamespace,
    name,
  });

  return {
    title: name,
    text,
    // The app in the query keeps each location unique: search engines key documents by it
    // (Lunr keeps one document per location), and an entity owns many apps.
    location: owner
      ? `${owner.location}?application=${encodeURIComponent(resourceRef)}`
      : `${instance.uiUrl.replace(
          /\/+$/,
          '',
        )}/applications/${encodeURIComponent(
          appNamespace,
        )}/${encodeURIComponent(name)}`,
    instance: instance.name,
    appNamespace,
    project,
    tenant,
    environment,
    cluster,
    namespace: destination.namespace ?? '',
    repoURL: source?.repoURL ?? '',
    syncStatus,
    healthStatus,
    entityRef: owner?.ref ?? '',
    exactMatchKeys: exactMatchKeysOf(app),
    quarantinedVersions: (input.quarantines ?? [])
      .map(q => q.version)
      .join(','),
    authorization: { resourceRef },
  };
}
