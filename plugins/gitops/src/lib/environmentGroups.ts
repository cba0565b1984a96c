import {
  type ApplicationSummary,
  type EnvironmentVersion,
  type PromotionPreview,
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

/** One image or chart whose version differs between an environment and the one before. */
export interface VersionDifference {
  /** Image name, `chart <name>` for a chart, `chart dependency <name>` for a dependency. */
  name: string;
  /** What this environment runs, none when it lacks it. */
  runs: string[];
  /** What the previous environment runs. */
  previous: string[];
}

/**
 * How what one application runs compares with what the application of the environment
 * before it runs, read from that application's promotion preview: the same data the
 * promotion panel shows, so the two never disagree.
 */
export interface StageComparison {
  /** The previous environment. */
  environment: string;
  /** The previous environment's application, whose preview this is. */
  application: string;
  /**
   * `same`: the same images and chart versions; `behind`: promoting the previous
   * environment moves this one forward (or, when Git already has it, semver says older);
   * `ahead`: promoting would be a downgrade, or every difference is newer; `differs`:
   * versions that cannot be ordered; `never-deployed`: this one runs nothing yet;
   * `unknown`: neither side reports images or chart versions.
   */
  relation:
    | 'same'
    | 'behind'
    | 'ahead'
    | 'differs'
    | 'never-deployed'
    | 'unknown';
  differences: VersionDifference[];
  /** The previous environment's version, ready to promote into this one (the panel's button). */
  promotable?: string;
  /** Versions Git already sets for this environment that it does not run yet (a sync away). */
  inGit: VersionDifference[];
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

/** What a preview's version runs, as name → version: images, the chart and its dependencies. */
function versionsOf(version: EnvironmentVersion): Map<string, string> {
  const versions = new Map<string, string>();
  for (const image of version.images) versions.set(image.name, image.tag);
  if (version.chartVersion)
    versions.set(
      version.chart ? `chart ${version.chart}` : 'chart',
      version.chartVersion,
    );
  for (const dependency of version.chartDependencies ?? [])
    versions.set(`chart dependency ${dependency.name}`, dependency.version);
  return versions;
}

/** The versions that differ, name by name, in name order. */
function differencesOf(
  runs: Map<string, string>,
  previous: Map<string, string>,
): VersionDifference[] {
  return [...new Set([...runs.keys(), ...previous.keys()])]
    .sort()
    .filter(name => runs.get(name) !== previous.get(name))
    .map(name => ({
      name,
      runs: runs.has(name) ? [runs.get(name)!] : [],
      previous: previous.has(name) ? [previous.get(name)!] : [],
    }));
}

/** Semver order of the differences: behind when any is older, unordered when one cannot be. */
function semverRelation(
  differences: VersionDifference[],
): StageComparison['relation'] {
  let unordered = false;
  for (const d of differences) {
    const order =
      d.runs.length === 1 && d.previous.length === 1
        ? compareSemver(d.runs[0], d.previous[0])
        : undefined;
    if (order === undefined) unordered = true;
    else if (order < 0) return 'behind';
  }
  return unordered ? 'differs' : 'ahead';
}

/**
 * How the next environment compares with the one whose promotion preview this is, by what
 * both run (the preview reads each environment's own files at its deployed revision), never
 * by the repository revision. Direction follows the preview: a promotion offered without a
 * downgrade means the next environment is behind; a downgrade means it is ahead. Undefined
 * for the last environment.
 */
export function comparePreview(
  preview: PromotionPreview,
): StageComparison | undefined {
  const next = preview.next;
  if (!next) return undefined;
  const runs = versionsOf(next.version);
  const previous = versionsOf(preview.version);
  const differences = differencesOf(runs, previous);
  const promotable =
    preview.promotable && (preview.downgrades ?? []).length === 0
      ? preview.version.label
      : undefined;
  // Git's version of the next environment (the change's `from`) when it is not what runs.
  const inGit = preview.changes
    .filter(c => c.from && runs.has(c.name) && runs.get(c.name) !== c.from)
    .map(c => ({ name: c.name, runs: [c.from!], previous: [c.to] }));
  const base = {
    environment: preview.environment,
    application: preview.application.name,
    differences,
    inGit,
    ...(promotable ? { promotable } : {}),
  };
  let relation: StageComparison['relation'];
  if (next.version.label === 'never deployed' && runs.size === 0)
    relation = 'never-deployed';
  else if (runs.size === 0 && previous.size === 0) relation = 'unknown';
  else if (differences.length === 0) relation = 'same';
  else if ((preview.downgrades ?? []).length > 0) relation = 'ahead';
  else if (promotable) relation = 'behind';
  else relation = semverRelation(differences);
  return { ...base, relation };
}

/** The comparison of each application with the previous environment's, keyed by {@link appKey}. */
export function comparisonsByApp(
  previews: readonly PromotionPreview[],
): Map<string, StageComparison> {
  const comparisons = new Map<string, StageComparison>();
  for (const preview of previews) {
    const comparison = comparePreview(preview);
    if (comparison && preview.next)
      comparisons.set(appKey(preview.next.application), comparison);
  }
  return comparisons;
}

/** One key per application across instances and namespaces. */
export function appKey(app: {
  instance: string;
  appNamespace: string;
  name: string;
}): string {
  return `${app.instance}/${app.appNamespace}/${app.name}`;
}

/** The image versions an image list runs, as `name → tag`, for matching against previews. */
export function imageTags(images: readonly string[]): Map<string, string> {
  return new Map(
    images.map(image => {
      const { name, tag } = splitImage(image);
      return [name, tag];
    }),
  );
}
