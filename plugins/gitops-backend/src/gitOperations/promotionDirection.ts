import {
  type ChartChange,
  type ImageChange,
  type VersionDowngrade,
  compareSemver,
} from '@kupe/plugin-gitops-common';

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
