import type {
  AppProject,
  ApplicationDestinationRule,
} from '@kupe/plugin-gitops-node';

/**
 * The AppProject admission rules Argo CD applies on create (`app_project_types.go`), checked
 * here first so a refusal is reported before anything is written, with a message that names
 * the rule instead of Argo CD's generic `InvalidSpecError`.
 */

/** Argo CD globs: `*` and `?` like the shell, `[...]` classes; `*` also crosses `/`. */
export function matchesGlob(pattern: string, value: string): boolean {
  if (pattern === value) return true;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      source += '.*';
    } else if (c === '?') {
      source += '.';
    } else if (c === '[' && pattern.indexOf(']', i + 1) > i + 1) {
      const end = pattern.indexOf(']', i + 1);
      const body = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
      source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      i = end;
    } else {
      source += c.replace(/[.+^${}()|\\[\]]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`).test(value);
}

// Argo CD compares repository URLs without case, trailing slashes and `.git`.
function normalizeRepoUrl(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');
}

/** `sourceRepos`: some allow rule matches and no `!` rule does. */
export function isSourceRepoAllowed(
  project: AppProject,
  repoUrl: string,
): boolean {
  const url = normalizeRepoUrl(repoUrl);
  const rules = project.spec.sourceRepos ?? [];
  const deny = rules.filter(r => r.startsWith('!')).map(r => r.slice(1));
  const allow = rules.filter(r => !r.startsWith('!'));
  if (deny.some(r => matchesGlob(normalizeRepoUrl(r), url))) return false;
  return allow.some(r => r === '*' || matchesGlob(normalizeRepoUrl(r), url));
}

/**
 * `destinations`: an entry matches when its server or its name matches and its namespace
 * matches; an entry with a `!` field denies, and denials win.
 */
export function isDestinationAllowed(
  project: AppProject,
  destination: { name?: string; server?: string; namespace: string },
): boolean {
  const entries = project.spec.destinations ?? [];
  const isDenial = (e: ApplicationDestinationRule) =>
    [e.server, e.name, e.namespace].some(v => v?.startsWith('!'));
  const strip = (v: string | undefined) =>
    v?.startsWith('!') ? v.slice(1) : v;
  const field = (pattern: string | undefined, value: string | undefined) =>
    !!pattern && value !== undefined && matchesGlob(pattern, value);
  const matches = (e: ApplicationDestinationRule) =>
    (field(strip(e.server), destination.server) ||
      field(strip(e.name), destination.name)) &&
    matchesGlob(strip(e.namespace) ?? '', destination.namespace);
  if (entries.some(e => isDenial(e) && matches(e))) return false;
  return entries.some(e => !isDenial(e) && matches(e));
}
