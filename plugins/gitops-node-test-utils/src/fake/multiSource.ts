import type {
  Application,
  ApplicationSource,
  SyncOperation,
} from '@kupe/plugin-gitops-node';

/** `spec.GetSources()`: the sources of a multi-source app, or the one source. */
export function sourcesOf(app: Application): ApplicationSource[] {
  if (app.spec.sources?.length) return app.spec.sources;
  return app.spec.source ? [app.spec.source] : [];
}

export function isMultiSource(app: Application): boolean {
  return Boolean(app.spec.sources?.length);
}

/**
 * What a finished sync writes, laid out as Argo CD's controller does: for a multi-source app
 * `revisions` + `sources` (in source order) with `revision` empty in the sync result and
 * absent elsewhere; for one source `revision` + `source`.
 */
export function syncedState(app: Application, sync: SyncOperation) {
  if (isMultiSource(app)) {
    const sources = sync.sources ?? app.spec.sources!;
    const revisions = sync.revisions ?? app.status?.sync?.revisions ?? [];
    return {
      result: { revision: '', revisions, sources },
      syncStatus: { revisions },
      specSources: { sources: app.spec.sources! },
      history: { revisions, sources },
      display: revisions.join(','),
    };
  }
  const revision = sync.revision ?? app.status?.sync?.revision ?? '';
  const source = sync.source ?? app.spec.source;
  return {
    result: { revision, source },
    syncStatus: { revision },
    specSources: { source: app.spec.source },
    history: { revision, source },
    display: revision,
  };
}
