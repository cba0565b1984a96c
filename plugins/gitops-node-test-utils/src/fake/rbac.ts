import type { AppProject } from '@kupe/plugin-gitops-node';
import { globMatch } from '@kupe/plugin-gitops-node';
import { parseProjectRoleSubject } from './tokens';

/**
 * The control-plane namespace: apps here use `<project>/<app>` as RBAC object.
 *
 * @public
 */
export const CONTROL_PLANE_NAMESPACE = 'argocd';

/** `util/security/rbac.go`: `<project>/<app>`, or `<project>/<ns>/<app>` outside `argocd`. */
export function appRbacObject(
  project: string,
  namespace: string,
  name: string,
): string {
  return namespace === CONTROL_PLANE_NAMESPACE || namespace === ''
    ? `${project}/${name}`
    : `${project}/${namespace}/${name}`;
}

interface PolicyLine {
  sub: string;
  resource: string;
  action: string;
  object: string;
  effect: 'allow' | 'deny';
}

function parsePolicy(line: string): PolicyLine | undefined {
  const parts = line.split(',').map(p => p.trim());
  if (parts.length !== 6 || parts[0] !== 'p') return undefined;
  const effect = parts[5];
  if (effect !== 'allow' && effect !== 'deny') return undefined;
  return {
    sub: parts[1],
    resource: parts[2],
    action: parts[3],
    object: parts[4],
    effect,
  };
}

/**
 * Casbin evaluation as Argo CD configures it, for the two kinds of subject the fake knows:
 * `admin` (built-in role:admin) may do everything; a project role token `proj:<p>:<r>` is
 * judged only by the policies of role `r` in project `p` (plus the implicit `projects, get,
 * <p>`), and only for objects of project `p`. Deny wins over allow. Any other subject, e.g. a
 * plain session user, has no policy at all (the fake's `policy.default` is empty, as in a
 * multi-tenant install).
 */
export function enforce(
  sub: string,
  resource: string,
  action: string,
  object: string,
  projects: ReadonlyMap<string, AppProject>,
): boolean {
  if (sub === 'admin') return true;
  const role = parseProjectRoleSubject(sub);
  if (!role) return false;
  const project = projects.get(role.project);
  const roleSpec = project?.spec.roles?.find(r => r.name === role.role);
  if (!project || !roleSpec) return false;

  const objectProject = resource === 'projects' ? object : object.split('/')[0];
  if (objectProject !== role.project) return false;
  if (resource === 'projects') return action === 'get';

  const policies = (roleSpec.policies ?? [])
    .map(parsePolicy)
    .filter((p): p is PolicyLine => p !== undefined && p.sub === sub);
  const matches = (p: PolicyLine) =>
    p.resource === resource &&
    globMatch(p.action, action) &&
    globMatch(p.object, object);
  if (policies.some(p => p.effect === 'deny' && matches(p))) return false;
  return policies.some(p => p.effect === 'allow' && matches(p));
}
