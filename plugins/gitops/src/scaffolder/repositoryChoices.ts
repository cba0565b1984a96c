/**
 * The repositories a tenant's AppProject allows (`spec.sourceRepos`), as a form offers them.
 * Argo CD's rules: `*`, `?` and `[...]` are globs in which `*` also crosses `/`, a `!` rule denies
 * and wins, and URLs compare without case, trailing slashes or `.git`. The scaffolder action
 * applies the same rules (isSourceRepoPermitted), so the form warns about exactly what it refuses.
 */

/** One entry of the repository picker. */
export interface RepositoryChoice {
  /** What choosing it puts in the field: the URL, or the fixed start of a glob to complete. */
  value: string;
  /** A glob rule: the user completes the name after `value`. */
  prefix: boolean;
  /** The sourceRepos rule it comes from. */
  rule: string;
}

const GLOB = /[*?[]/;

function normalize(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');
}

function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[' && pattern.indexOf(']', i + 1) !== -1) {
      const end = pattern.indexOf(']', i + 1);
      const set = pattern.slice(i + 1, end).replace(/^!/, '^');
      source += `[${set.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else source += c.replace(/[.+^${}()|\\\]\[]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function matches(rule: string, url: string): boolean {
  const pattern = normalize(rule);
  return pattern === url || globToRegExp(pattern).test(url);
}

/** Whether the AppProject rules allow `url` (some allow rule matches and no `!` rule does). */
export function isRepositoryAllowed(
  sourceRepos: string[],
  url: string,
): boolean {
  const value = normalize(url);
  if (!value) return false;
  if (sourceRepos.some(r => r.startsWith('!') && matches(r.slice(1), value)))
    return false;
  return sourceRepos.some(
    r => !r.startsWith('!') && (r === '*' || matches(r, value)),
  );
}

/**
 * The picker's entries: every exact repository, and every glob rule as the fixed text before its
 * first wildcard (`https://git.example.com/acme/*` offers `https://git.example.com/acme/`), so the
 * user completes the repository name instead of typing the host. A rule without a usable fixed
 * start (`*`, `https://*`) offers nothing: any repository it allows may still be typed. Denials
 * are never offered.
 */
export function repositoryChoices(sourceRepos: string[]): RepositoryChoice[] {
  const choices: RepositoryChoice[] = [];
  for (const rule of sourceRepos) {
    if (rule.startsWith('!')) continue;
    const glob = rule.search(GLOB);
    let choice: RepositoryChoice;
    if (glob === -1) {
      choice = { value: rule, prefix: false, rule };
    } else {
      const value = rule.slice(0, glob);
      // Up to the host is no choice: the user would complete the whole repository path.
      if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]+\/./i.test(value)) continue;
      choice = { value, prefix: true, rule };
    }
    if (!choices.some(c => c.value === choice.value)) choices.push(choice);
  }
  return choices;
}
