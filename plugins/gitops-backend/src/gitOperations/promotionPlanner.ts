import type {
  ChartChange,
  ImageChange,
  VersionDowngrade,
} from '@kupe/plugin-gitops-common';
import type { PromotionLayoutReader } from '@kupe/plugin-gitops-node';
import { planChartPromotion } from './chartPromotion';
import {
  type ChartSourcePromotion,
  planChartSourcePromotion,
} from './chartSourcePromotion';
import {
  type ApplicationSource,
  type EnvironmentFiles,
  type TreeReader,
  readEnvironmentVersion,
  versionLabel,
} from './environmentVersion';
import { type FileEdit, setImageTags } from './imageTags';
import { type VersionHistory, findDowngrades } from './promotionDirection';

/** Why an application cannot be promoted (or need not be), each with the message the API answers. */
export type PromotionBlockCode =
  /** This environment deploys a chart from a Helm repository: its version is in the Application. */
  | 'helm-repository'
  | 'no-environment'
  | 'never-deployed'
  | 'no-next-environment'
  /** The next environment deploys from another repository or branch. */
  | 'other-branch'
  /** The next environment deploys a chart from a Helm repository. */
  | 'next-helm-repository'
  /** The Helm chart version cannot be carried over safely. */
  | 'chart-not-carried'
  /** One side is a chart with values from Git (`$values`), the other is not, or another chart. */
  | 'layout-mismatch'
  /** The next Application's chart version lives only in Argo CD, not in Git. */
  | 'chart-version-not-in-git'
  /** Nothing in this environment's files names a version. */
  | 'no-version'
  /** The next environment has no file to write the version to. */
  | 'no-version-file'
  | 'already-there';

/** A typed reason a promotion is not made. */
export interface PromotionBlock {
  code: PromotionBlockCode;
  message: string;
}

/** One side of a promotion: an application and its source. */
export interface PromotionSide {
  name: string;
  environment?: string;
  /** Never synced: it runs nothing yet. */
  neverDeployed: boolean;
  source: ApplicationSource;
}

/** Everything a promotion is planned from; the planner reads nothing else. */
export interface PromotionInput {
  app: PromotionSide & {
    /** The tree this environment runs: its deployed revision (else the branch head). */
    runs: TreeReader;
    /** That revision, for messages. */
    revision?: string;
  };
  /** The next environment's application, when there is one the caller sees. */
  next?: PromotionSide & {
    environment: string;
    /** Whether it deploys from the same repository and branch. */
    sameBranch: boolean;
    /** The tree it runs: its deployed revision on the same branch, else the branch head. */
    runs: TreeReader;
    /** The branch head, which the promotion changes. */
    head: TreeReader;
  };
  /** Where non-semver versions are ordered, for downgrades. */
  history: VersionHistory;
  /** Layout readers modules added, asked before the built-in layouts. */
  readers?: readonly PromotionLayoutReader[];
}

/** A promotion's plan: the versions on both sides, the files to write, or why not. */
export interface PromotionPlan {
  version: EnvironmentFiles;
  /** What the next environment runs, once it is known. */
  nextVersion?: EnvironmentFiles;
  changes: ImageChange[];
  /** Set once the chart versions were compared. */
  chartChanges?: ChartChange[];
  /** Repository files of the next environment and their new content (only real changes). */
  writes: Record<string, string>;
  downgrades: VersionDowngrade[];
  blocked?: PromotionBlock;
}

/** A Helm chart directory's version carried over (a no-op for other layouts). */
async function chartDirectoryPromotion(
  app: PromotionInput['app'],
  next: NonNullable<PromotionInput['next']>,
  version: EnvironmentFiles,
  target: EnvironmentFiles,
): Promise<ChartSourcePromotion> {
  const chart = await planChartPromotion({
    from: version,
    fromTree: app.runs,
    fromName: app.name,
    to: target,
    toTree: next.head,
    toName: next.name,
  });
  return {
    writes: chart.writes,
    changes: chart.changes,
    ...(chart.blocker
      ? {
          blocker: {
            code: 'chart-not-carried' as const,
            message: chart.blocker,
          },
        }
      : {}),
  };
}

/** One version file of the next environment with the promoted tags, in its layout. */
function writeVersion(
  target: EnvironmentFiles,
  path: string,
  content: string,
  images: EnvironmentFiles['images'],
  { readers = [] }: PromotionInput,
): FileEdit {
  const reader = target.layoutReader
    ? readers.find(r => r.id === target.layoutReader)
    : undefined;
  if (reader) return reader.writeVersion({ path, content }, images);
  // Value files of a chart from a Helm repository are edited as a chart directory's.
  const layout = target.layout === 'helm-repository' ? 'helm' : target.layout;
  return setImageTags(layout, content, images);
}

const noFiles: TreeReader = {
  read: async () => undefined,
  list: async () => [],
};

/**
 * Plans promoting what one environment runs into the next: pure, it reads only the trees it
 * is given, and answers either the writes (image tags, chart versions) or a typed reason.
 */
export async function planPromotion(
  input: PromotionInput,
): Promise<PromotionPlan> {
  const { app, next } = input;
  const blocked = (
    plan: Omit<PromotionPlan, 'blocked' | 'writes' | 'changes' | 'downgrades'> &
      Partial<PromotionPlan>,
    code: PromotionBlockCode,
    message: string,
  ): PromotionPlan => ({
    changes: [],
    writes: {},
    downgrades: [],
    ...plan,
    blocked: { code, message },
  });

  if (app.source.chart) {
    // Reported, not promoted: the version lives in the Application, not in Git.
    const version = await readEnvironmentVersion(app.source, noFiles);
    const nextVersion = next
      ? await readEnvironmentVersion(next.source, noFiles)
      : undefined;
    return blocked(
      { version, nextVersion },
      'helm-repository',
      `${app.name} deploys chart ${
        app.source.chart
      } from a Helm repository: promote it by changing the next Application's targetRevision, not Git${
        next && nextVersion
          ? ` (${next.name} runs ${versionLabel(nextVersion)}, ${
              app.name
            } ${versionLabel(version)})`
          : ''
      }`,
    );
  }

  const readVersion = (source: ApplicationSource, tree: TreeReader) =>
    readEnvironmentVersion(source, tree, input.readers);
  const version = await readVersion(app.source, app.runs);
  if (!app.environment) {
    return blocked(
      { version },
      'no-environment',
      `Application ${app.name} has no environment (label kupe.cloud/environment or a tenant cluster)`,
    );
  }
  if (app.neverDeployed) {
    return blocked(
      { version },
      'never-deployed',
      `${app.name} has never been deployed: there is no running version to promote`,
    );
  }
  if (!next) {
    return blocked(
      { version },
      'no-next-environment',
      `No application of this service in an environment after ${app.environment}`,
    );
  }
  const nextVersion = await readVersion(next.source, next.runs);
  if (!next.sameBranch) {
    return blocked(
      { version, nextVersion },
      'other-branch',
      `${next.name} deploys from another repository or branch; promote there`,
    );
  }
  if (next.source.chart) {
    return blocked(
      { version, nextVersion },
      'next-helm-repository',
      'Charts from a Helm repository are promoted by changing the Application, not Git',
    );
  }
  const target = await readVersion(next.source, next.head);
  // The chart version travels with the images, or the promotion says why it cannot.
  const chart =
    app.source.helmChart || next.source.helmChart
      ? await planChartSourcePromotion({
          from: app.source,
          fromName: app.name,
          to: next.source,
          toName: next.name,
          head: next.head,
        })
      : await chartDirectoryPromotion(app, next, version, target);
  const planned = { version, nextVersion, chartChanges: chart.changes };
  if (chart.blocker) {
    return blocked(planned, chart.blocker.code, chart.blocker.message);
  }
  if (version.images.length === 0 && chart.changes.length === 0) {
    return blocked(
      planned,
      'no-version',
      `No image tag found in ${app.name}'s files (${
        version.layout
      } layout); its version is the revision ${(app.revision ?? '').slice(
        0,
        7,
      )}`,
    );
  }
  if (version.images.length > 0 && target.versionFiles.length === 0) {
    return blocked(
      planned,
      'no-version-file',
      `No version file found for ${next.name} (${target.layout} layout)`,
    );
  }
  const changes: ImageChange[] = [];
  const writes: Record<string, string> = {};
  for (const [file, content] of Object.entries(chart.writes)) {
    if ((await next.head.read(file)) !== content) writes[file] = content;
  }
  for (const file of version.images.length > 0 ? target.versionFiles : []) {
    const content = (await next.head.read(file)) ?? '';
    const edit = writeVersion(target, file, content, version.images, input);
    if (edit.content !== content) writes[file] = edit.content;
    for (const change of edit.changes)
      if (!changes.some(c => c.name === change.name)) changes.push(change);
  }
  // Which way the next environment moves: a downgrade is named, and needs confirming.
  // Nothing runs in a never-deployed environment, so nothing can move backwards.
  const downgrades = next.neverDeployed
    ? []
    : await findDowngrades(
        { images: changes, charts: chart.changes },
        input.history,
      );
  const plan: PromotionPlan = { ...planned, changes, writes, downgrades };
  if (Object.keys(writes).length === 0) {
    plan.blocked = {
      code: 'already-there',
      message: `${next.name} is already at ${versionLabel(
        version,
        app.revision,
      )}`,
    };
  }
  return plan;
}
