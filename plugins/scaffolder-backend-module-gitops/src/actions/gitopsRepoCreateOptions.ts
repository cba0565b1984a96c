import type { AuthService } from '@backstage/backend-plugin-api';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  ArgoCdClient,
  ArgoCdService,
  CommitAuthor,
  GitHubHost,
  TenantResolver,
} from '@kupe/plugin-gitops-node';
import type { ApplicationTarget } from '../argocd/ApplicationTarget';

/**
 * What `createGitOpsRepoCreateAction` is built from: the SCM integrations, the Argo CD service and the tenant resolver.
 *
 * @public
 */
export interface GitOpsRepoCreateActionOptions {
  integrations: ScmIntegrationRegistry;
  argoCd: ArgoCdService;
  tenants: TenantResolver;
  /**
   * Where the tenant's AppProject is read (its sourceRepos must allow the repository);
   * default the Argo CD API of the chosen instance.
   */
  target?: (client: ArgoCdClient) => ApplicationTarget;
  /**
   * Creates repositories and opens pull requests on GitHub hosts; without it only direct
   * pushes to existing repositories are possible.
   */
  github?: GitHubHost;
  /**
   * With it (and `auth`), the run also checks before writing that the owner is a group or
   * user of the tenant and that the catalog entity's name is free (or the same entity, from
   * the same file, of an identical earlier run).
   */
  catalog?: Pick<CatalogService, 'getEntityByRef' | 'getEntities'>;
  /** The backend's own credentials for the catalog reads (users may not see every entity). */
  auth?: Pick<AuthService, 'getOwnServiceCredentials'>;
  author?: CommitAuthor;
  /**
   * Accept `file://` remotes. Only for tests: in a server a file remote would let a template
   * write anywhere on the backend's disk.
   */
  allowFileRemotes?: boolean;
}
