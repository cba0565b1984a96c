import type { Application } from '@kupe/plugin-gitops-node';

/** Who is asking: Argo CD scopes every per-app call to the tenant's project. */
export interface ApplicationScope {
  project: string;
  tenant: string;
}

/**
 * Where the Applications of a template go: Argo CD's API (default) or Application resources
 * in the management cluster (`gitops.scaffolder.applicationTarget: kubernetes`).
 */
export interface ApplicationStore {
  /** Namespace the Application resources live in, for links and outputs. */
  readonly appNamespace: string;
  /** The Application, or undefined when there is none of that name in the project. */
  get(name: string, scope: ApplicationScope): Promise<Application | undefined>;
  /** Creates the Application, or replaces an existing one when `upsert`. */
  put(
    app: Application,
    scope: ApplicationScope & { upsert: boolean },
  ): Promise<void>;
  delete(name: string, scope: ApplicationScope): Promise<void>;
}
