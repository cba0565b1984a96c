/**
 * Argo CD's glob matching (`util/glob`): `*` and `?` as in shell globs, `[...]` classes, and,
 * unlike filepath.Match, `*` also crosses `/` (so `tenant-a/*` matches `tenant-a/ns/app`).
 *
 * @public
 */
export function globMatch(pattern: string, value: string): boolean {
  if (pattern === value) return true;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) source += '\\[';
      else {
        source += `[${pattern
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else source += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${source}$`).test(value);
}
