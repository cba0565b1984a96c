import { posix } from 'node:path';
import { ConflictError } from '@backstage/errors';
import type { Application } from '@kupe/plugin-gitops-node';
import type { ApplicationSource } from './environmentVersion';

// `$values/envs/dev/values.yaml`: a value file of the source whose `ref` is `values`.
const REF_FILE = /^\$([A-Za-z0-9_-]+)\/(.+)$/;

/** What one deployment (the newest in the history, else a succeeded sync) ran, per source. */
function deployedRevisions(app: Application): string[] | undefined {
  const history = app.status?.history ?? [];
  const last = history[history.length - 1];
  if (last) return last.revisions ?? (last.revision ? [last.revision] : []);
  const op = app.status?.operationState;
  if (op?.phase !== 'Succeeded' || !op.syncResult) return undefined;
  return (
    op.syncResult.revisions ??
    (op.syncResult.revision ? [op.syncResult.revision] : [])
  );
}

/**
 * Where git operations find an application's files, read from the live Application: its
 * `spec.source`, or for the "chart from a Helm repository + values from Git" layout
 * (`spec.sources` with a chart whose `helm.valueFiles` are `$<ref>/...` of a Git source with
 * that `ref`) the Git source, the value files as repository paths and the chart beside them.
 * Other multi-source apps are read by their first source, as before.
 */
export function applicationSourceOf(app: Application): ApplicationSource {
  const name = app.metadata.name;
  const deployed = deployedRevisions(app);
  const multi = !app.spec?.source ? app.spec?.sources : undefined;
  if (multi && multi.length > 1) {
    const chartIndex = multi.findIndex(s => !!s.chart);
    const chart = multi[chartIndex];
    const refs = (chart?.helm?.valueFiles ?? [])
      .map(file => REF_FILE.exec(file))
      .filter((m): m is RegExpExecArray => !!m);
    const ref = refs[0]?.[1];
    const gitIndex = ref ? multi.findIndex(s => s.ref === ref && !s.chart) : -1;
    const git = multi[gitIndex];
    if (chart?.chart && git?.repoURL) {
      const valueFiles = refs
        .filter(m => m[1] === ref)
        .map(m => posix.normalize(m[2]));
      if (valueFiles.some(f => f.startsWith('..') || f.startsWith('/'))) {
        throw new ConflictError(
          `Application ${name} names value files outside its ${ref} repository`,
        );
      }
      return {
        repoURL: git.repoURL,
        targetRevision: git.targetRevision,
        valueFiles,
        ...(deployed?.[gitIndex]
          ? { deployedRevision: deployed[gitIndex] }
          : {}),
        helmChart: {
          repoURL: chart.repoURL,
          chart: chart.chart,
          sourceIndex: chartIndex,
          // What runs, else what the Application asks for.
          version: deployed?.[chartIndex] || chart.targetRevision,
        },
      };
    }
  }
  const source = app.spec?.source ?? multi?.[0];
  if (!source?.repoURL) {
    throw new ConflictError(`Application ${name} has no source repository`);
  }
  return {
    repoURL: source.repoURL,
    path: source.path,
    targetRevision: source.targetRevision,
    chart: source.chart,
    valueFiles: source.helm?.valueFiles,
    ...(deployed?.[0] && !source.chart
      ? { deployedRevision: deployed[0] }
      : {}),
  };
}
