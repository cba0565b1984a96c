/** What the lead time reads of a commit: its time and full message. */
export interface ChainCommit {
  date?: string;
  message?: string;
}

// The trailer a portal promotion writes (gitOperations/promotionRequest.ts): the app it was
// promoted from and the revision that app ran.
const PROMOTED_FROM = /^Promoted-from: [^@\s]+@([0-9a-f]{7,40})\s*$/m;
const MAX_HOPS = 10;

/** The revision a promotion commit copied its version from; undefined for any other commit. */
export function promotedFrom(message: string | undefined): string | undefined {
  return message ? PROMOTED_FROM.exec(message)?.[1] : undefined;
}

/**
 * Where a change's lead time starts: for a commit that a promotion made, the commit the
 * earliest environment ran when the version was promoted out of it (following each
 * `Promoted-from:` trailer back, dev to staging to production), else the commit itself. A
 * revision whose commit cannot be read ends the chain at the last one that could.
 */
export async function originOf(
  commit: ChainCommit,
  lookup: (revision: string) => Promise<ChainCommit>,
): Promise<ChainCommit & { hops: number }> {
  let current = commit;
  const seen = new Set<string>();
  for (let hops = 0; hops < MAX_HOPS; hops++) {
    const from = promotedFrom(current.message);
    if (!from || seen.has(from)) return { ...current, hops };
    seen.add(from);
    const earlier = await lookup(from);
    if (!earlier.date) return { ...current, hops };
    current = earlier;
  }
  return { ...current, hops: MAX_HOPS };
}
