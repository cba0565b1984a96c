import { posix } from 'node:path';
import {
  type ChartChange,
  type ChartDependency,
  canonicalJson,
} from '@kupe/plugin-gitops-common';
import { isScalar, parseDocument } from 'yaml';
import {
  type EnvironmentFiles,
  type TreeReader,
  chartDependencyNodes,
  joinPath,
} from './environmentVersion';
import { type ScalarEdit, applyEdits, scalarEdit } from './yamlScalars';

/** What carrying a Helm chart's version into the next environment writes, or why it cannot. */
export interface ChartPromotion {
  /** Repository files and their new content. */
  writes: Record<string, string>;
  changes: ChartChange[];
  /** Why the chart version cannot be carried over safely; nothing is written then. */
  blocker?: string;
}

const dirOf = (file: string) => {
  const dir = posix.dirname(file);
  return dir === '.' ? '' : dir;
};

function describeChart(version: EnvironmentFiles): string {
  return [
    `version ${version.chartVersion ?? '(unset)'}`,
    ...(version.chartDependencies ?? []).map(d => `${d.name} ${d.version}`),
  ].join(', ');
}

const dependenciesOf = (chartYaml: string) =>
  canonicalJson(
    (parseDocument(chartYaml).toJS() as { dependencies?: unknown } | null)
      ?.dependencies ?? [],
  );

/**
 * Carries a Helm chart directory's version from one environment (`from`, at its deployed
 * revision) into the next (`to`, at the branch head), where that is well-defined:
 *
 * - One chart directory shared by both (per-environment `values-<env>.yaml`): nothing to
 *   write, but the next environment runs the chart at the branch head once promoted, so a
 *   head that differs from what `from` runs blocks the promotion.
 * - One chart directory per environment: the dependency versions of `Chart.yaml` (an umbrella
 *   chart) are set in place, and the chart's own `version` too when neither directory has
 *   templates of its own (otherwise the version is not the chart, and it blocks). A dependency
 *   missing or from another repository in `to` blocks; so do vendored `charts/` archives,
 *   and a `Chart.lock` that cannot become `from`'s (same dependencies) after the edit.
 */
export async function planChartPromotion(options: {
  from: EnvironmentFiles;
  fromTree: TreeReader;
  fromName: string;
  to: EnvironmentFiles;
  toTree: TreeReader;
  toName: string;
}): Promise<ChartPromotion> {
  const { from, to, fromName, toName } = options;
  const none: ChartPromotion = { writes: {}, changes: [] };
  if (from.layout !== 'helm' || !from.chartFile) return none;
  if (to.layout !== 'helm' || !to.chartFile) {
    return {
      ...none,
      blocker: `${toName} is not a Helm chart directory (${
        to.layout
      } layout): the chart of ${fromName} (${describeChart(
        from,
      )}) cannot be carried over`,
    };
  }
  if (from.chartFile === to.chartFile) {
    const same =
      from.chartVersion === to.chartVersion &&
      canonicalJson(from.chartDependencies ?? []) ===
        canonicalJson(to.chartDependencies ?? []);
    if (same) return none;
    return {
      ...none,
      blocker: `${toName} shares the chart ${
        from.chartFile
      } with ${fromName}: once promoted it runs the chart at the branch head (${describeChart(
        to,
      )}), not the one ${fromName} runs (${describeChart(
        from,
      )}); sync ${fromName} to the branch head first`,
    };
  }

  const fromDir = dirOf(from.chartFile);
  const toDir = dirOf(to.chartFile);
  const fromContent = (await options.fromTree.read(from.chartFile)) ?? '';
  const toContent = (await options.toTree.read(to.chartFile)) ?? '';
  const toDoc = parseDocument(toContent);
  const blockers: string[] = [];
  const edits: ScalarEdit[] = [];
  const changes: ChartChange[] = [];

  if (
    from.chartVersion !== undefined &&
    from.chartVersion !== to.chartVersion
  ) {
    const templates = async (tree: TreeReader, dir: string) =>
      (await tree.list(joinPath(dir, 'templates'))).length > 0;
    const node = toDoc.get('version', true);
    if (
      (await templates(options.fromTree, fromDir)) ||
      (await templates(options.toTree, toDir))
    ) {
      blockers.push(
        `${from.chartFile} (version ${from.chartVersion}) and ${
          to.chartFile
        } (version ${
          to.chartVersion ?? 'unset'
        }) are separate charts with templates of their own, so setting the version would not carry the chart over; change ${
          toDir || 'the chart'
        } in a commit of its own`,
      );
    } else if (isScalar(node)) {
      edits.push(scalarEdit(node, from.chartVersion));
      const name = toDoc.get('name');
      changes.push({
        kind: 'chart',
        name: typeof name === 'string' ? name : to.chartFile,
        ...(to.chartVersion !== undefined ? { from: to.chartVersion } : {}),
        to: from.chartVersion,
      });
    } else {
      blockers.push(`${to.chartFile} has no version to set`);
    }
  }

  const targets = chartDependencyNodes(toContent);
  let dependencyEdits = 0;
  for (const dependency of from.chartDependencies ?? []) {
    const target = targets.find(t => t.dependency.name === dependency.name);
    if (!target) {
      blockers.push(
        `dependency ${dependency.name} ${dependency.version} is not in ${to.chartFile}`,
      );
      continue;
    }
    const origin = (d: ChartDependency) =>
      `${d.chart} from ${d.repository ?? '(no repository)'}`;
    if (origin(target.dependency) !== origin(dependency)) {
      blockers.push(
        `dependency ${dependency.name} is ${origin(dependency)} in ${
          from.chartFile
        } but ${origin(target.dependency)} in ${to.chartFile}`,
      );
      continue;
    }
    if (target.dependency.version === dependency.version) continue;
    edits.push(scalarEdit(target.node, dependency.version));
    dependencyEdits += 1;
    changes.push({
      kind: 'dependency',
      name: dependency.name,
      from: target.dependency.version,
      to: dependency.version,
    });
  }

  const writes: Record<string, string> = {};
  if (edits.length > 0) writes[to.chartFile] = applyEdits(toContent, edits);
  if (dependencyEdits > 0) {
    const vendored = await options.toTree.list(joinPath(toDir, 'charts'));
    if (vendored.length > 0) {
      blockers.push(
        `${joinPath(toDir, 'charts')} holds vendored charts (${vendored
          .slice(0, 3)
          .join(
            ', ',
          )}) that only helm dependency update can rebuild, which a promotion does not run`,
      );
    }
    const toLock = joinPath(toDir, 'Chart.lock');
    if ((await options.toTree.read(toLock)) !== undefined) {
      const fromLock = await options.fromTree.read(
        joinPath(fromDir, 'Chart.lock'),
      );
      if (
        fromLock !== undefined &&
        dependenciesOf(writes[to.chartFile]) === dependenciesOf(fromContent)
      ) {
        // Same dependencies as `from`, so `from`'s lock (versions and digest) holds.
        writes[toLock] = fromLock;
      } else {
        blockers.push(
          `${toLock} pins the dependencies and ${fromName}'s lock does not fit them after the change (run helm dependency update in ${
            toDir || 'the chart'
          })`,
        );
      }
    }
  }
  if (blockers.length > 0) {
    return {
      writes: {},
      changes,
      blocker: `The chart version of ${fromName} (${describeChart(
        from,
      )}) cannot be carried over to ${toName} safely: ${blockers.join('; ')}`,
    };
  }
  return { writes, changes };
}
