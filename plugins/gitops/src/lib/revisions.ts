import type { ApplicationSummary } from '@kupe/plugin-gitops-common';

/**
 * The revision that runs. `sync.revision` is what Argo CD compares against (the target); it
 * only equals what runs while the app is Synced, so that is the sole fallback.
 */
export function deployedRevisionOf(
  app: ApplicationSummary,
): string | undefined {
  return (
    app.deployedRevision ??
    (app.sync.status === 'Synced' ? app.sync.revision : undefined)
  );
}

/**
 * The revision a sync would deploy, when the app is OutOfSync towards a different one. A
 * multi-source app's `sync.revision` is empty: its first source's target (from
 * `sync.revisions`) stands beside `deployedRevision`, which is that source's too.
 */
export function pendingTargetOf(app: ApplicationSummary): string | undefined {
  const target = app.sync.revision ?? app.sources?.[0]?.syncRevision;
  return app.sync.status === 'OutOfSync' &&
    target &&
    target !== deployedRevisionOf(app)
    ? target
    : undefined;
}
