import type { ApplicationSummary } from '@kupe/plugin-gitops-common';
import { deployedRevisionOf, pendingTargetOf } from './revisions';
import {
  compareEnvironments,
  compareSemver,
  normalizeEnvironment,
} from '@kupe/plugin-gitops-common';

/** Label of apps that carry no environment label; sorts after every real environment. */
export const NO_ENVIRONMENT = 'unlabelled';

export interface EnvironmentGroup {
  environment: string;
  apps: ApplicationSummary[];
}

/** Groups apps by canonical environment, in promotion order (dev → staging → production). */
export function groupByEnvironment(
  apps: readonly ApplicationSummary[],
): EnvironmentGroup[] {
  const groups = new Map<string, ApplicationSummary[]>();
  for (const app of apps) {
    const env = app.environment
      ? normalizeEnvironment(app.environment)
      : NO_ENVIRONMENT;
    groups.set(env, [...(groups.get(env) ?? []), app]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => {
      if (a === NO_ENVIRONMENT || b === NO_ENVIRONMENT) {
        return Number(a === NO_ENVIRONMENT) - Number(b === NO_ENVIRONMENT);
      }
      return compareEnvironments(a, b);
    })
    .map(([environment, list]) => ({
      environment,
      apps: [...list].sort((x, y) => x.name.localeCompare(y.name)),
    }));
}

export interface PipelineStage {
  environment: string;
  /** What runs (deployed revisions), not what Argo CD compares against. */
  revisions: string[];
  /** Revisions OutOfSync apps would move to with a sync, when they differ from what runs. */
  targets: string[];
  images: string[];
  /** How what this environment runs compares with the previous environment. */
  comparison?: StageComparison;
}

/** One image or chart whose version differs between an environment and the one before. */
export interface VersionDifference {
  /** Image name, or `chart <name>` for a chart from a Helm repository. */
  name: string;
  /** What this environment runs (several when its apps differ), none when it lacks it. */
  runs: string[];
  /** What the previous environment runs. */
  previous: string[];
}

export interface StageComparison {
  /** The previous environment. */
  environment: string;
  /**
   * `same`: the same images and chart versions; `behind`: some version is older (semver);
   * `ahead`: every difference is newer; `differs`: versions that cannot be ordered, or an
   * image only one side runs; `unknown`: neither reports images or chart versions.
   */
  relation: 'same' | 'behind' | 'ahead' | 'differs' | 'unknown';
  differences: VersionDifference[];
}

/** An image reference's name and tag (`latest` when it has none); a digest is dropped. */
function splitImage(image: string): { name: string; tag: string } {
  const withoutDigest = image.split('@')[0];
  const colon = withoutDigest.lastIndexOf(':');
  return colon > withoutDigest.lastIndexOf('/')
    ? {
        name: withoutDigest.slice(0, colon),
        tag: withoutDigest.slice(colon + 1),
      }
    : { name: withoutDigest, tag: 'latest' };
}

/** What the apps run, as name → versions: their images, and charts from Helm repositories. */
function versionsOf(
  apps: readonly ApplicationSummary[],
): Map<string, string[]> {
  const versions = new Map<string, Set<string>>();
  const add = (name: string, version: string) =>
    versions.set(name, (versions.get(name) ?? new Set()).add(version));
  for (const app of apps) {
    for (const image of app.images) {
      const { name, tag } = splitImage(image);
      add(name, tag);
    }
    if (app.source?.chart && app.source.targetRevision)
      add(`chart ${app.source.chart}`, app.source.targetRevision);
  }
  return new Map(
    [...versions.entries()].map(([name, set]) => [name, [...set].sort()]),
  );
}

/** Compares what an environment runs with what the previous one runs, version by version. */
function compareStages(
  current: Map<string, string[]>,
  previous: Map<string, string[]>,
  environment: string,
): StageComparison {
  if (current.size === 0 && previous.size === 0) {
    return { environment, relation: 'unknown', differences: [] };
  }
  const differences: VersionDifference[] = [];
  let behind = false;
  let unordered = false;
  for (const name of [
    ...new Set([...current.keys(), ...previous.keys()]),
  ].sort()) {
    const runs = current.get(name) ?? [];
    const before = previous.get(name) ?? [];
    if (sameSet(runs, before)) continue;
    differences.push({ name, runs, previous: before });
    const order =
      runs.length === 1 && before.length === 1
        ? compareSemver(runs[0], before[0])
        : undefined;
    if (order === undefined) unordered = true;
    else if (order < 0) behind = true;
  }
  let relation: StageComparison['relation'] = 'ahead';
  if (differences.length === 0) relation = 'same';
  else if (behind) relation = 'behind';
  else if (unordered) relation = 'differs';
  return { environment, relation, differences };
}

/**
 * What each environment runs and how it compares with the one before it, decided by what
 * runs (image tags, chart versions), not by the repository revision: an unrelated commit to
 * a shared repository moves the revision without changing what an environment runs.
 */
export function environmentPipeline(
  apps: readonly ApplicationSummary[],
): PipelineStage[] {
  const groups = groupByEnvironment(apps);
  const stages: PipelineStage[] = groups.map(({ environment, apps: list }) => ({
    environment,
    revisions: unique(list.map(deployedRevisionOf).filter(isString)),
    targets: unique(list.map(pendingTargetOf).filter(isString)),
    images: unique(list.flatMap(a => a.images)),
  }));
  const versions = groups.map(g => versionsOf(g.apps));
  return stages.map((stage, index) => {
    const previous = stages[index - 1];
    if (!previous || stage.environment === NO_ENVIRONMENT) return stage;
    return {
      ...stage,
      comparison: compareStages(
        versions[index],
        versions[index - 1],
        previous.environment,
      ),
    };
  });
}

function isString(value: string | undefined): value is string {
  return typeof value === 'string' && value.length > 0;
}

function unique(values: string[]): string[] {
  return [...new Set(values)].sort();
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
