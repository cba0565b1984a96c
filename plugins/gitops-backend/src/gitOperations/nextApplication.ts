import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  type ApplicationRef,
  KUBERNETES_ID_LABEL,
  gitOpsApplicationReadPermission,
  nextEnvironment,
  normalizeEnvironment,
} from '@kupe/plugin-gitops-common';
import type { ApplicationIndex } from '../applicationIndex/ApplicationIndex';
import type { IndexedApplication } from '../applicationIndex/IndexedApplication';
import type { ApplicationAccess } from '../service/ApplicationAccess';
import { repositoryKey } from './checkout';
import { type ApplicationSource, sourceDir } from './environmentVersion';

export const refOf = (app: IndexedApplication): ApplicationRef => ({
  instance: app.instance,
  appNamespace: app.appNamespace,
  name: app.name,
});

/** The directory naming the service: the path without its environment (or overlays/<env>) part. */
export function serviceDirOf(
  path: string | undefined,
  environment?: string,
): string {
  const parts = sourceDir(path).split('/');
  const last = parts[parts.length - 1];
  if (
    environment &&
    normalizeEnvironment(last ?? '') === normalizeEnvironment(environment)
  ) {
    parts.pop();
    if (parts[parts.length - 1] === 'overlays') parts.pop();
  }
  return parts.join('/');
}

/**
 * The next environment's application of the same service and tenant that the caller may
 * read: by the `kubernetes-id` label, else by repository and service directory. The same
 * instance first, then by name.
 */
export async function findNextApplication(options: {
  index: ApplicationIndex;
  access: ApplicationAccess;
  app: IndexedApplication;
  source: ApplicationSource;
  credentials: BackstageCredentials;
}): Promise<IndexedApplication | undefined> {
  const { index, access, app, source, credentials } = options;
  if (!app.environment) return undefined;
  const component = app.labels[KUBERNETES_ID_LABEL];
  const repo = repositoryKey(source.repoURL);
  const service = serviceDirOf(source.path, app.environment);
  const sameService = (candidate: IndexedApplication) => {
    if (candidate === app || !candidate.environment) return false;
    if (
      app.tenant
        ? candidate.tenant !== app.tenant
        : candidate.project !== app.project
    )
      return false;
    if (component) return candidate.labels[KUBERNETES_ID_LABEL] === component;
    return (
      !!candidate.source &&
      repositoryKey(candidate.source.repoURL) === repo &&
      serviceDirOf(candidate.source.path, candidate.environment) === service
    );
  };
  const candidates: IndexedApplication[] = [];
  for (const instance of index.instances()) {
    const instanceIndex = index.instance(instance);
    const pool = component
      ? instanceIndex.candidates([
          { key: KUBERNETES_ID_LABEL, operator: 'In', values: [component] },
        ])
      : instanceIndex.list();
    for (const candidate of pool)
      if (sameService(candidate)) candidates.push(candidate);
  }
  const environment = nextEnvironment(
    app.environment,
    candidates.map(c => c.environment!),
  );
  if (!environment) return undefined;
  const inNext = candidates
    .filter(c => c.environment === environment)
    .sort(
      (a, b) =>
        Number(b.instance === app.instance) -
          Number(a.instance === app.instance) || a.name.localeCompare(b.name),
    );
  for (const candidate of inNext) {
    try {
      return (
        await access.requireApplication(
          credentials,
          refOf(candidate),
          gitOpsApplicationReadPermission,
        )
      ).app;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  return undefined;
}
