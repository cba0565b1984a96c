import type { AppProject, ApplicationDestinationRule } from '../argocd/types';
import { globMatch } from './glob';

/**
 * The AppProject admission rules Argo CD applies to an Application (`app_project_types.go`).
 * Callers check them before writing so a refusal names the rule instead of Argo CD's generic
 * `InvalidSpecError`, and the Argo CD fake enforces them exactly as the callers predict.
 */

// Argo CD compares repository URLs without case, trailing slashes and `.git`.
function normalizeRepo(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');
}

/**
 * AppProject `sourceRepos`: some allow rule matches and no `!` rule does.
 *
 * @public
 */
export function isSourceRepoPermitted(
  project: AppProject,
  repoURL: string,
): boolean {
  const url = normalizeRepo(repoURL);
  const rules = project.spec.sourceRepos ?? [];
  const denied = rules.some(
    r => r.startsWith('!') && globMatch(normalizeRepo(r.slice(1)), url),
  );
  if (denied) return false;
  return rules.some(
    r => !r.startsWith('!') && (r === '*' || globMatch(normalizeRepo(r), url)),
  );
}

/**
 * AppProject `destinations` (IsDestinationPermitted): an entry matches when its server or its
 * name matches, and its namespace matches. An entry with a `!` field is a denial, and denials
 * win.
 *
 * @public
 */
export function isDestinationPermitted(
  project: AppProject,
  destination: { server?: string; name?: string; namespace?: string },
): boolean {
  const entries = project.spec.destinations ?? [];
  const field = (pattern: string | undefined, value: string | undefined) =>
    pattern !== undefined &&
    pattern !== '' &&
    value !== undefined &&
    globMatch(pattern, value);
  const matches = (e: ApplicationDestinationRule, strip: boolean) => {
    const s = (v?: string) => (strip && v?.startsWith('!') ? v.slice(1) : v);
    return (
      (field(s(e.server), destination.server) ||
        field(s(e.name), destination.name)) &&
      globMatch(s(e.namespace) ?? '', destination.namespace ?? '')
    );
  };
  const isDeny = (e: ApplicationDestinationRule) =>
    [e.server, e.name, e.namespace].some(v => v?.startsWith('!'));
  if (entries.some(e => isDeny(e) && matches(e, true))) return false;
  return entries.some(e => !isDeny(e) && matches(e, false));
}
