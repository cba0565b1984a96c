import type { AppProject, Application } from '@kupe/plugin-gitops-node';

/**
 * Who is asking: Argo CD scopes every per-app call to the tenant's project.
 *
 * @public
 */
export interface ApplicationScope {
  project: string;
  tenant: string;
}

/**
 * A destination cluster registered in Argo CD: only what a pre-flight check needs.
 *
 * @public
 */
export interface RegisteredCluster {
  name: string;
  server: string;
}

/**
 * Where a template's Argo CD objects live (`gitops.scaffolder.applicationTarget`): the Argo CD
 * API of an instance (default), or resources in the management cluster (`kubernetes`). Both
 * the pre-flight reads (AppProject, registered clusters) and the Application writes go here,
 * so a platform that keeps the portal away from Argo CD's API needs no API access at all.
 *
 * @public
 */
export interface ApplicationTarget {
  /** Where the objects are, for error messages, e.g. `Argo CD instance main`. */
  readonly location: string;
  /** Namespace the Application resources live in, for links and outputs. */
  readonly appNamespace: string;
  /** The AppProject, or undefined when there is none of that name. */
  getProject(project: string, tenant: string): Promise<AppProject | undefined>;
  /** The destination clusters registered in Argo CD that the tenant's project can see. */
  listClusters(scope: ApplicationScope): Promise<RegisteredCluster[]>;
  /** The Application, or undefined when there is none of that name in the project. */
  get(name: string, scope: ApplicationScope): Promise<Application | undefined>;
  /**
   * Whether an Application of this name belongs to another project. Names are unique per
   * namespace across tenants, so such a name cannot be created. Asked with the instance's
   * own credentials, never a tenant's project token (which cannot see other projects); false
   * only when even those may not read it.
   */
  isNameTakenElsewhere(name: string, scope: ApplicationScope): Promise<boolean>;
  /** Creates the Application, or replaces an existing one when `upsert`. */
  put(
    app: Application,
    scope: ApplicationScope & { upsert: boolean },
  ): Promise<void>;
  delete(name: string, scope: ApplicationScope): Promise<void>;
}
