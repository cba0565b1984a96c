import { globMatch } from '@kupe/plugin-gitops-node';

/**
 * `glob.MatchStringInList(list, value, glob.REGEXP)` from argo-cd `util/glob`: an entry
 * written `/.../` is a regular expression, anything else a glob.
 */
export function matchesNamespaceList(
  patterns: readonly string[],
  namespace: string,
): boolean {
  return patterns.some(pattern => {
    if (
      pattern.length > 2 &&
      pattern.startsWith('/') &&
      pattern.endsWith('/')
    ) {
      try {
        return new RegExp(pattern.slice(1, -1)).test(namespace);
      } catch {
        return false;
      }
    }
    return globMatch(pattern, namespace);
  });
}

/**
 * `security.IsNamespaceEnabled`: the control-plane namespace always, others only when the
 * server's `application.namespaces` (`--application-namespaces`) lists them.
 */
export function isNamespaceEnabled(
  namespace: string,
  controlPlane: string,
  enabled: readonly string[],
): boolean {
  return namespace === controlPlane || matchesNamespaceList(enabled, namespace);
}
