import type { IndexedApplication } from '../applicationIndex/IndexedApplication';

/**
 * An index record with what entity specs select by (name, namespace, project, labels) and
 * nothing else: for tests of what a change or a spec concerns.
 */
export const indexedApp = (
  name: string,
  labels?: Record<string, string>,
  appNamespace = 'argocd',
) =>
  ({
    instance: 'argocd-1',
    name,
    appNamespace,
    project: 'tenant-acme',
    labels,
  } as IndexedApplication);
