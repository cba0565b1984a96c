export type DiffLine =
  | { kind: 'same'; text: string }
  | { kind: 'added'; text: string }
  | { kind: 'removed'; text: string }
  | { kind: 'skipped'; count: number };

/**
 * Line diff of two texts (longest common subsequence), with unchanged runs longer than
 * twice `context` folded into one `skipped` entry so a 300-line manifest with one changed
 * image reads as a few lines.
 */
export function lineDiff(
  before: string,
  after: string,
  context = 3,
): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  // lcs[i][j] = length of the LCS of a[i..] and b[j..]; manifests are small enough for O(n·m).
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () =>
    new Array(b.length + 1).fill(0),
  );
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] =
        a[i] === b[j]
          ? lcs[i + 1][j + 1] + 1
          : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const full: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      full.push({ kind: 'same', text: a[i] });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      full.push({ kind: 'removed', text: a[i++] });
    } else {
      full.push({ kind: 'added', text: b[j++] });
    }
  }
  while (i < a.length) full.push({ kind: 'removed', text: a[i++] });
  while (j < b.length) full.push({ kind: 'added', text: b[j++] });
  return fold(full, context);
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  return text.replace(/\n$/, '').split('\n');
}

function fold(lines: DiffLine[], context: number): DiffLine[] {
  const changed = lines.map(l => l.kind === 'added' || l.kind === 'removed');
  const keep = lines.map((_, index) => {
    for (
      let k = Math.max(0, index - context);
      k <= Math.min(lines.length - 1, index + context);
      k++
    ) {
      if (changed[k]) return true;
    }
    return false;
  });
  const out: DiffLine[] = [];
  let skipped = 0;
  lines.forEach((line, index) => {
    if (keep[index]) {
      if (skipped > 0) out.push({ kind: 'skipped', count: skipped });
      skipped = 0;
      out.push(line);
    } else {
      skipped++;
    }
  });
  if (skipped > 0) out.push({ kind: 'skipped', count: skipped });
  return out;
}
