import type { ApplicationSource, ChartDetails } from '@kupe/plugin-gitops-node';

/** `MAJOR.MINOR.PATCH` with an optional pre-release and build part, as Helm versions are. */
const EXACT_VERSION =
  /^v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** Whether a source is a chart from a Helm repository (`chart` set), not a Git path. */
export function isChartSource(source: ApplicationSource): boolean {
  return Boolean(source.chart);
}

/** Whether a source only lends its files to others (`ref` without a path or chart). */
export function isRefOnlySource(source: ApplicationSource): boolean {
  return Boolean(source.ref) && !source.path && !source.chart;
}

/**
 * Whether `targetRevision` names one chart version (Argo CD's `helm.IsVersion`), which the
 * repo-server uses as the revision without asking the repository.
 */
export function isExactChartVersion(targetRevision: string): boolean {
  return EXACT_VERSION.test(targetRevision);
}

type Semver = [number, number, number, string];

function parse(version: string): Semver | undefined {
  const m = EXACT_VERSION.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] ?? ''] : undefined;
}

function compare(a: Semver, b: Semver): number {
  for (let i = 0; i < 3; i++) {
    if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  }
  // A pre-release sorts below its release.
  if (a[3] === b[3]) return 0;
  if (!a[3]) return 1;
  if (!b[3]) return -1;
  return a[3] < b[3] ? -1 : 1;
}

/** Parses a partial version (`1`, `1.2`, `1.2.x`) into its numbers and how many were given. */
function partial(text: string): { v: Semver; given: number } | undefined {
  const exact = parse(text);
  if (exact) return { v: exact, given: 3 };
  const parts = text.replace(/^v/, '').split('.');
  const nums: number[] = [];
  for (const p of parts.slice(0, 3)) {
    if (p === 'x' || p === 'X' || p === '*') break;
    if (!/^\d+$/.test(p)) return undefined;
    nums.push(Number(p));
  }
  return {
    v: [nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? 0, ''],
    given: nums.length,
  };
}

function bumped(v: Semver, index: number): Semver {
  const out: Semver = [v[0], v[1], v[2], ''];
  out[index] = (out[index] as number) + 1;
  for (let i = index + 1; i < 3; i++) out[i] = 0;
  return out;
}

/** One comparator of a Masterminds/semver constraint as `[lowest, upperExclusive)` checks. */
function comparatorMatches(comparator: string, version: Semver): boolean {
  const m = /^(\^|~|>=|<=|>|<|=|!=)?\s*(.+)$/.exec(comparator.trim());
  if (!m) return false;
  const op = m[1] ?? '';
  const p = partial(m[2]);
  if (!p) return false;
  const c = compare(version, p.v);
  if (op === '^') {
    // ^1.2.3 := >=1.2.3 <2.0.0; ^0.2.3 := >=0.2.3 <0.3.0 (Masterminds).
    const index = p.v[0] > 0 || p.given < 2 ? 0 : 1;
    return c >= 0 && compare(version, bumped(p.v, index)) < 0;
  }
  if (op === '~') {
    const index = p.given < 2 ? 0 : 1;
    return c >= 0 && compare(version, bumped(p.v, index)) < 0;
  }
  if (op === '>') return c > 0;
  if (op === '>=') return c >= 0;
  if (op === '<') return c < 0;
  if (op === '<=') return c <= 0;
  if (op === '!=') return c !== 0;
  if (p.given < 3) {
    // `1.2`, `1.2.x` and `=1` are ranges over what was left out.
    return (
      c >= 0 && compare(version, bumped(p.v, Math.max(p.given - 1, 0))) < 0
    );
  }
  return c === 0;
}

/**
 * The version the repo-server picks for a chart's `targetRevision`: the version itself when
 * it is one, otherwise the highest release (pre-releases only when the constraint names one)
 * matching the Masterminds/semver constraint (`1.2.x`, `^2.4.0`, `>=1.0.0 <2.0.0`, `a || b`).
 * Undefined when nothing matches, where Argo CD fails with "no version for constraints".
 *
 * @public
 */
export function resolveChartVersion(
  targetRevision: string,
  available: readonly string[],
): string | undefined {
  if (isExactChartVersion(targetRevision)) return targetRevision;
  const constraint = targetRevision.trim() === '' ? '*' : targetRevision;
  const allowPre = /-/.test(constraint);
  const candidates = available
    .map(v => ({ text: v, v: parse(v) }))
    .filter((x): x is { text: string; v: Semver } => !!x.v)
    .filter(x => allowPre || !x.v[3])
    .filter(x =>
      constraint.split('||').some(group =>
        group
          .trim()
          .split(/\s*,\s*|\s+(?=[<>=!^~]|\d)/)
          .filter(Boolean)
          .every(c => c === '*' || comparatorMatches(c, x.v)),
      ),
    )
    .sort((a, b) => compare(b.v, a.v));
  return candidates[0]?.text;
}

/**
 * A version `steps` releases before `version` (patch first, then the minor before), for
 * builders that need a plausible older history of a chart.
 */
export function olderChartVersion(version: string, steps: number): string {
  const v = parse(version);
  if (!v || steps <= 0) return version;
  let [major, minor, patch] = v;
  for (let i = 0; i < steps; i++) {
    if (patch > 0) patch -= 1;
    else if (minor > 0) {
      minor -= 1;
      patch = 9;
    } else if (major > 0) {
      major -= 1;
      minor = 9;
      patch = 9;
    }
  }
  return `${major}.${minor}.${patch}`;
}

/** The next patch release after `version`. */
export function nextChartVersion(version: string): string {
  const v = parse(version);
  return v ? `${v[0]}.${v[1]}.${v[2] + 1}` : version;
}

/**
 * One released chart version as a Helm repository's `index.yaml` lists it.
 *
 * @public
 */
export interface HelmChartRelease {
  version: string;
  appVersion?: string;
  description?: string;
  home?: string;
  /** `Name <email>` strings, as Argo CD's `getChartDetails` formats `Chart.yaml` maintainers. */
  maintainers?: string[];
}

function repoKey(repoURL: string): string {
  return repoURL.replace(/\/+$/, '');
}

/**
 * The Helm repositories a controller double can read: which chart versions exist (for
 * resolving a `targetRevision` range) and what each version's `Chart.yaml` says (for
 * `.../revisions/{version}/chartdetails`).
 *
 * @public
 */
export class HelmChartCatalog {
  readonly #repos = new Map<string, Map<string, HelmChartRelease[]>>();

  /** Publishes a chart version in the repository at `repoURL`. */
  add(repoURL: string, chart: string, release: HelmChartRelease): void {
    const repo = this.#repos.get(repoKey(repoURL)) ?? new Map();
    const releases = (repo.get(chart) ?? []).filter(
      (r: HelmChartRelease) => r.version !== release.version,
    );
    repo.set(chart, [...releases, release]);
    this.#repos.set(repoKey(repoURL), repo);
  }

  versions(repoURL: string, chart: string): string[] {
    return (this.#repos.get(repoKey(repoURL))?.get(chart) ?? []).map(
      r => r.version,
    );
  }

  release(
    repoURL: string,
    chart: string,
    version: string,
  ): HelmChartRelease | undefined {
    return this.#repos
      .get(repoKey(repoURL))
      ?.get(chart)
      ?.find(r => r.version === version);
  }

  /** `v1alpha1ChartDetails` of a chart source's version; undefined when not published. */
  chartDetails(
    source: ApplicationSource,
    version: string,
  ): ChartDetails | undefined {
    const release = source.chart
      ? this.release(source.repoURL, source.chart, version)
      : undefined;
    if (!release) return undefined;
    return {
      description: release.description,
      home: release.home,
      maintainers: release.maintainers,
    };
  }

  /**
   * The version a sync of `targetRevision` gets; throws Argo CD's message when the
   * repository has no matching version.
   */
  resolve(repoURL: string, chart: string, targetRevision: string): string {
    // An exact version is taken as is, without reading the index (`helm.IsVersion`).
    const version = resolveChartVersion(
      targetRevision,
      this.versions(repoURL, chart),
    );
    if (!version) {
      throw new Error(
        `no version for constraints: version ${JSON.stringify(
          targetRevision,
        )} of chart ${chart} not found in ${repoURL}`,
      );
    }
    return version;
  }
}
