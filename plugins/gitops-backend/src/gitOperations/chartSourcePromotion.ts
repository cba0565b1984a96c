import type { ChartChange } from '@kupe/plugin-gitops-common';
import { isMap, isScalar, parseAllDocuments } from 'yaml';
import type { ApplicationSource, TreeReader } from './environmentVersion';
import { applyEdits, scalarEdit, scalarText } from './yamlScalars';

const YAML_FILE = /\.ya?ml$/;
// Reading every file of a very large repository for one preview would be a denial of service.
const MAX_SCANNED_FILES = 5000;

/** The Git file that declares an Argo CD Application, and where its chart version is written. */
export interface ApplicationManifest {
  file: string;
  /** The chart source's `targetRevision` as written there. */
  version?: string;
  /** The file's content with the chart version set to `to`. */
  withVersion(to: string): string;
}

/**
 * Finds the Git file declaring the Application `name` (an app-of-apps layout keeps
 * Applications in Git): a YAML document of kind Application (argoproj.io) with that name,
 * whose `spec.sources[sourceIndex]` is the chart `chart`.
 */
export async function findApplicationManifest(
  tree: TreeReader,
  name: string,
  chart: { chart: string; sourceIndex: number },
): Promise<ApplicationManifest | undefined> {
  const files = (await tree.list(''))
    .filter(f => YAML_FILE.test(f))
    .slice(0, MAX_SCANNED_FILES);
  for (const file of files) {
    const content = await tree.read(file);
    if (
      !content ||
      !content.includes(name) ||
      !/kind:\s*Application\b/.test(content)
    )
      continue;
    for (const doc of parseAllDocuments(content)) {
      if (doc.errors.length > 0) continue;
      const apiVersion = doc.get('apiVersion');
      if (
        doc.get('kind') !== 'Application' ||
        typeof apiVersion !== 'string' ||
        !apiVersion.startsWith('argoproj.io/') ||
        doc.getIn(['metadata', 'name']) !== name
      )
        continue;
      const source = doc.getIn(['spec', 'sources', chart.sourceIndex], true);
      if (!isMap(source) || source.get('chart') !== chart.chart) continue;
      const node = source.get('targetRevision', true);
      return {
        file,
        ...(isScalar(node) ? { version: scalarText(content, node) } : {}),
        withVersion: to => {
          if (isScalar(node) && node.range)
            return applyEdits(content, [scalarEdit(node, to)]);
          source.set('targetRevision', to);
          return doc.toString();
        },
      };
    }
  }
  return undefined;
}

/** What carrying a chart's version from one Application to the next writes, or why it cannot. */
export interface ChartSourcePromotion {
  writes: Record<string, string>;
  changes: ChartChange[];
  blocker?: {
    code: 'layout-mismatch' | 'chart-version-not-in-git' | 'chart-not-carried';
    message: string;
  };
}

/**
 * The chart + `$values` layout: the next Application runs `from`'s chart version once the
 * `targetRevision` of its chart source says so in Git. An Application that lives only in
 * Argo CD (not in Git) cannot be changed by a pull request: that is a typed reason.
 */
export async function planChartSourcePromotion(options: {
  from: ApplicationSource;
  fromName: string;
  to: ApplicationSource;
  toName: string;
  head: TreeReader;
}): Promise<ChartSourcePromotion> {
  const { from, to, fromName, toName } = options;
  const none = { writes: {}, changes: [] };
  const fromChart = from.helmChart;
  const toChart = to.helmChart;
  if (!fromChart || !toChart) {
    return {
      ...none,
      blocker: {
        code: 'layout-mismatch',
        message: `${
          fromChart ? toName : fromName
        } is not a chart from a Helm repository with values from Git like ${
          fromChart ? fromName : toName
        }; promote it by hand`,
      },
    };
  }
  if (
    fromChart.chart !== toChart.chart ||
    fromChart.repoURL !== toChart.repoURL
  ) {
    return {
      ...none,
      blocker: {
        code: 'layout-mismatch',
        message: `${toName} deploys chart ${toChart.chart} from ${toChart.repoURL}, ${fromName} chart ${fromChart.chart} from ${fromChart.repoURL}; promote it by hand`,
      },
    };
  }
  if (!fromChart.version || fromChart.version === toChart.version) return none;
  const manifest = await findApplicationManifest(options.head, toName, toChart);
  if (!manifest) {
    return {
      ...none,
      blocker: {
        code: 'chart-version-not-in-git',
        message: `The chart version of ${toName} (${toChart.chart} ${
          toChart.version ?? 'unset'
        }) is set only in its live Application, not in Git, so a pull request cannot move it to ${
          fromChart.version
        }: set spec.sources[${
          toChart.sourceIndex
        }].targetRevision of ${toName} in Argo CD, or keep the Application in this repository`,
      },
    };
  }
  return {
    writes: { [manifest.file]: manifest.withVersion(fromChart.version) },
    changes: [
      {
        kind: 'chart',
        name: toChart.chart,
        ...(toChart.version ? { from: toChart.version } : {}),
        to: fromChart.version,
      },
    ],
  };
}
