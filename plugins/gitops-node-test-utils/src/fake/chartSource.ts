import type { Application, ApplicationSource } from '@kupe/plugin-gitops-node';
import { ArgoCdApiError, GrpcCode } from './errors';
import { sourcesOf } from './multiSource';

function optionalInt(query: URLSearchParams, name: string): number | undefined {
  const text = query.get(name);
  if (text === null || text === '') return undefined;
  if (!/^-?\d+$/.test(text)) {
    throw new ArgoCdApiError(
      GrpcCode.InvalidArgument,
      `invalid value for ${name}: ${JSON.stringify(text)}`,
    );
  }
  return Number(text);
}

/**
 * The chart source `.../revisions/{rev}/chartdetails` reads, chosen as argocd-server's
 * `getAppSourceBySourceIndexAndVersionId` does: the app's sources, or those of history entry
 * `versionId`; index `sourceIndex` (default 0); an error unless that source is a chart.
 */
export function chartSourceOf(
  app: Application,
  query: URLSearchParams,
): ApplicationSource {
  const sourceIndex = optionalInt(query, 'sourceIndex') ?? 0;
  const versionId = optionalInt(query, 'versionId');
  let sources = sourcesOf(app);
  const wrap = (message: string) =>
    new ArgoCdApiError(
      GrpcCode.Unknown,
      `error getting app source by source index and version ID: ${message}`,
    );
  if (versionId !== undefined) {
    const history = app.status?.history ?? [];
    if (history.length === 0) {
      throw wrap(
        `error getting source by version ID: version ID ${versionId} not found because the app has no history`,
      );
    }
    const entry = history.find(h => h.id === versionId);
    if (!entry) {
      throw wrap(
        `error getting source by version ID: revision history not found for version ID ${versionId}`,
      );
    }
    sources = entry.sources?.length
      ? entry.sources
      : [entry.source ?? { repoURL: '' }];
  }
  if (sourceIndex >= sources.length || sourceIndex < 0) {
    throw wrap(
      sources.length === 1
        ? `source index ${sourceIndex} not found because there is only 1 source`
        : `source index ${sourceIndex} not found because there are only ${sources.length} sources`,
    );
  }
  const source = sources[sourceIndex];
  if (!source.chart) {
    throw new ArgoCdApiError(
      GrpcCode.Unknown,
      `no chart found for application: ${app.metadata.name}`,
    );
  }
  return source;
}
