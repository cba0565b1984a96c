import type {
  ChartChange,
  ImageChange,
  VersionDowngrade,
} from '@kupe/plugin-gitops-common';

const SEMVER =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

interface Semver {
  core: [number, number, number];
  prerelease: string[];
}

function parseSemver(version: string): Semver | undefined {
  const match = SEMVER.exec(version.trim());
  if (!match) return undefined;
  return {
    core: [Number(match[1]), Number(match[2]), Number(match[3])],
    prerelease: match[4] ? match[4].split('.') : [],
  };
}

/** Semantic Versioning 2.0.0 precedence (build metadata ignored); undefined when either is not semver. */
export function compareSemver(a: string, b: string): number | undefined {
  const x = parseSemver(a);
  const y = parseSemver(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < 3; i++) {
    if (x.core[i] !== y.core[i]) return x.core[i] < y.core[i] ? -1 : 1;
  }
  // A pre-release precedes its release.
  if (x.prerelease.length === 0 || y.prerelease.length === 0) {
    return Math.sign(y.prerelease.length - x.prerelease.length);
  }
  for (let i = 0; i < Math.min(x.prerelease.length, y.prerelease.length); i++) {
    const p = x.prerelease[i];
    const q = y.prerelease[i];
    if (p === q) continue;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) return Number(p) < Number(q) ? -1 : 1;
    if (pn !== qn) return pn ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return Math.sign(x.prerelease.length - y.prerelease.length);
}

/** Where non-semver versions come from: the order of the commits that first wrote them. */
export interface VersionHistory {
  /** The commit that first wrote `version` into the service's files, if any. */
  firstCommitWith(version: string): Promise<string | undefined>;
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
}

/**
 * The changes of a promotion that move the next environment backwards: by semver precedence
 * where both versions are semver, else by the order of the commits that first wrote them
 * (a tag first written before the one the environment runs is older). Changes whose order
 * cannot be told are not reported.
 */
export async function findDowngrades(
  changes: { images: ImageChange[]; charts: ChartChange[] },
  history: VersionHistory,
): Promise<VersionDowngrade[]> {
  const candidates = [
    ...changes.images.map(c => ({ kind: 'image' as const, change: c })),
    ...changes.charts.map(c => ({
      kind: c.kind === 'chart' ? ('chart' as const) : ('dependency' as const),
      change: c,
    })),
  ];
  const downgrades: VersionDowngrade[] = [];
  for (const { kind, change } of candidates) {
    const { name, from, to } = change;
    if (from === undefined || from === to) continue;
    const bySemver = compareSemver(to, from);
    if (bySemver !== undefined) {
      if (bySemver < 0)
        downgrades.push({ kind, name, from, to, basis: 'semver' });
      continue;
    }
    const [toCommit, fromCommit] = await Promise.all([
      history.firstCommitWith(to),
      history.firstCommitWith(from),
    ]);
    if (!toCommit || !fromCommit || toCommit === fromCommit) continue;
    if (await history.isAncestor(toCommit, fromCommit)) {
      downgrades.push({
        kind,
        name,
        from,
        to,
        basis: 'commit-order',
        fromCommit,
        toCommit,
      });
    }
  }
  return downgrades;
}

/** One line naming every downgrade, for confirmations and refusals. */
export function describeDowngrades(downgrades: VersionDowngrade[]): string {
  return downgrades
    .map(
      d =>
        `${d.kind === 'image' ? '' : `${d.kind} `}${d.name} ${d.from} → ${
          d.to
        }`,
    )
    .join(', ');
}
