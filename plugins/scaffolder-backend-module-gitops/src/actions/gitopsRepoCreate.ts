import type { AuthService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { stringify } from 'yaml';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  requireDns1123Label,
  type TenantNaming,
} from '@kupe/plugin-gitops-common';
import {
  type ArgoCdClient,
  type ArgoCdService,
  type CommitAuthor,
  type GitHubHost,
  GitWorkingCopy,
  type TenantResolver,
  isSourceRepoPermitted,
  resolveGitCredentials,
} from '@kupe/plugin-gitops-node';
import type { ApplicationTarget } from '../argocd/ApplicationTarget';
import { ArgoCdApplicationTarget } from '../argocd/ArgoCdApplicationTarget';
import { loadTenantProject } from '../argocd/loadTenantProject';
import { repositoryFileUrl } from '../git/fileUrl';
import { publishMode, publishServiceLayout } from '../git/publishServiceLayout';
import {
  OWNER_MARKER_FILE,
  mergeCodeowners,
  ownerMarker,
  repositoryReadme,
  serviceReadme,
  tenantOfMarker,
} from '../layouts/repositoryFiles';
import { serviceLayout } from '../layouts/serviceLayout';
import { catalogOwnerNote, checkCatalog } from '../plan/checkCatalog';
import { checkServiceInRepository } from '../plan/checkServiceInRepository';
import { NOTHING_WRITTEN } from '../plan/messages';
import { planApplications } from '../plan/planApplications';
import { requireTenantMember } from '../tenancy/requireTenantMember';
import { examples } from './gitopsRepoCreate.examples';
import {
  gitOpsRepoCreateInput,
  gitOpsRepoCreateOutput,
} from './gitopsRepoCreate.schema';
import { resolveInstance } from './resolveInstance';
import { withInputDefaults } from './withInputDefaults';
import { withPlainErrors } from './withPlainErrors';

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

const DEFAULT_AUTHOR: CommitAuthor = {
  name: 'Kupe GitOps',
  email: 'gitops@kupe.cloud',
};

function checkRemoteUrl(repoUrl: string, allowFile: boolean): string {
  let url: URL;
  try {
    url = new URL(repoUrl);
  } catch {
    throw new InputError(`repoUrl ${JSON.stringify(repoUrl)} is not a URL`);
  }
  const allowed = allowFile
    ? ['http:', 'https:', 'file:']
    : ['http:', 'https:'];
  if (!allowed.includes(url.protocol)) {
    throw new InputError(
      `repoUrl must be an HTTP(S) Git URL, got ${url.protocol}//`,
    );
  }
  if (url.username || url.password) {
    throw new InputError(
      'repoUrl must not carry credentials; configure them under integrations',
    );
  }
  return repoUrl;
}

/**
 * Owner entity ref to a CODEOWNERS handle: `group:default/team-a` becomes `@team-a`, and on a
 * GitHub host the organization's team `@<org>/team-a` (a bare `@team-a` would name a user).
 */
function codeOwnerOf(owner: string, githubOrg?: string): string {
  const name = owner.split('/').pop()!.split(':').pop()!;
  return githubOrg ? `@${githubOrg}/${name}` : `@${name}`;
}

/**
 * `kupe:gitops-repo:create`: lays a service out in its tenant's GitOps repository, creating
 * the repository when the host can, adopting it when it already belongs to the tenant.
 *
 * @public
 */
export function createGitOpsRepoCreateAction(
  options: GitOpsRepoCreateActionOptions,
) {
  const { integrations, argoCd, tenants, github } = options;
  if (options.catalog && !options.auth) {
    throw new Error(
      'createGitOpsRepoCreateAction: the catalog checks need auth for the backend credentials',
    );
  }
  const author = options.author ?? DEFAULT_AUTHOR;
  const naming: TenantNaming = tenants.naming;
  const targetOf =
    options.target ??
    ((client: ArgoCdClient) => new ArgoCdApplicationTarget(client));

  const action = createTemplateAction({
    id: 'kupe:gitops-repo:create',
    description:
      "Creates or adopts a tenant's GitOps repository and lays a service out per environment (Kustomize, Helm or plain YAML), with CODEOWNERS and README. Before writing, also checks what the template's later steps will do (the environments' clusters and Applications, the name in the catalog, the owner): a refused run writes nothing; an identical re-run writes nothing and succeeds. A failed push is re-run to completion",
    examples,
    supportsDryRun: true,
    schema: { input: gitOpsRepoCreateInput, output: gitOpsRepoCreateOutput },
    async handler(ctx) {
      const input = ctx.input;
      const tenant = requireDns1123Label('tenant', input.tenant);
      const service = requireDns1123Label('name', input.name);
      const envNames = input.environments.map(e =>
        requireDns1123Label('environment name', e.name),
      );
      if (new Set(envNames).size !== envNames.length) {
        throw new InputError('Environment names must be unique');
      }
      if (!/^[A-Za-z0-9._\-/]+$/.test(input.targetBranch)) {
        throw new InputError(`Invalid targetBranch "${input.targetBranch}"`);
      }
      const repoUrl = checkRemoteUrl(input.repoUrl, !!options.allowFileRemotes);
      const withCluster = input.environments.filter(e => e.cluster);
      if (withCluster.length > 0 && withCluster.length < envNames.length) {
        throw new InputError(
          `Environments ${input.environments
            .filter(e => !e.cluster)
            .map(e => e.name)
            .join(
              ', ',
            )} have no cluster; give every environment its cluster, or none. ${NOTHING_WRITTEN}`,
        );
      }

      // Everything below up to the first write only reads: the same checks in a dry run and in
      // the real run, covering what the template's later steps will do with these inputs.
      await requireTenantMember(
        tenants,
        await ctx.getInitiatorCredentials(),
        tenant,
      );
      const client = resolveInstance(argoCd, input.instance);
      const store = targetOf(client);
      const projectName = naming.projectOf(tenant);
      const project = await loadTenantProject(store, projectName, tenant);
      if (!isSourceRepoPermitted(project, repoUrl)) {
        throw new NotAllowedError(
          `${repoUrl} is not a repository of tenant "${tenant}": AppProject ${projectName} does not allow it in sourceRepos (${(
            project.spec.sourceRepos ?? []
          ).join(', ')}). ${NOTHING_WRITTEN}`,
        );
      }

      // A name conflict found in Git or Argo CD also says who owns the service when the
      // catalog knows it (a service laid out by hand has no owner in its files).
      const withOwnerNote = async <T>(check: Promise<T>): Promise<T> => {
        try {
          return await check;
        } catch (error) {
          if (!(error instanceof ConflictError) || !options.catalog)
            throw error;
          const note = await catalogOwnerNote(
            { catalog: options.catalog, auth: options.auth! },
            { tenant, service, entity: input.catalogInfo },
          ).catch(() => undefined);
          throw note ? new ConflictError(`${error.message}. ${note}`) : error;
        }
      };

      const layout = serviceLayout(input.manifestType, {
        service,
        tenant,
        image: input.image,
        port: input.port,
        environments: input.environments.map(e => ({
          name: e.name,
          imageTag: e.imageTag,
          replicas: e.replicas,
        })),
      });
      const paths = Object.fromEntries(
        Object.entries(layout.sources).map(([env, s]) => [env, s.path]),
      );
      const valueFiles = Object.fromEntries(
        Object.entries(layout.sources)
          .filter(([, s]) => s.valueFiles)
          .map(([env, s]) => [env, s.valueFiles!]),
      );

      const credentials = await resolveGitCredentials(integrations, repoUrl);
      const dir = await ctx.createTemporaryDirectory();
      const copy = await GitWorkingCopy.open({
        remoteUrl: repoUrl,
        branch: input.targetBranch,
        dir: `${dir}/repo`,
        credentials,
        signal: ctx.signal,
      });
      const markerTenant = tenantOfMarker(
        await copy.readFile(OWNER_MARKER_FILE),
      );
      if (markerTenant && markerTenant !== tenant) {
        throw new NotAllowedError(
          `${repoUrl} belongs to tenant "${markerTenant}" (${OWNER_MARKER_FILE}), not to "${tenant}". ${NOTHING_WRITTEN}`,
        );
      }

      const canOpenPullRequest = !!github?.supports(repoUrl);
      const mode = publishMode(
        copy.state,
        input.directPush,
        canOpenPullRequest,
      );
      if (!mode) {
        throw new InputError(
          `${repoUrl} already has branch ${input.targetBranch} and its host cannot open pull requests; set directPush: true to push to it directly. ${NOTHING_WRITTEN}`,
        );
      }

      const files: Record<string, string> = {
        ...layout.files,
        [`apps/${service}/README.md`]: serviceReadme({
          service,
          owner: input.owner,
          manifestType: input.manifestType,
          paths,
        }),
        CODEOWNERS: mergeCodeowners(
          await copy.readFile('CODEOWNERS'),
          service,
          input.codeOwners?.length
            ? input.codeOwners
            : [
                codeOwnerOf(
                  input.owner,
                  canOpenPullRequest
                    ? github!.repositoryOf(repoUrl).owner
                    : undefined,
                ),
              ],
        ),
      };
      const catalogInfoPath = input.catalogInfo
        ? `apps/${service}/catalog-info.yaml`
        : undefined;
      if (catalogInfoPath) {
        files[catalogInfoPath] = stringify(input.catalogInfo);
      }
      const inRepository = await withOwnerNote(
        checkServiceInRepository({
          copy,
          service,
          files,
          repoUrl,
          branch: input.targetBranch,
        }),
      );
      const proposalBranch = `kupe-gitops/${service}`;
      // The portal's proposal branch as it is now (a re-run's or another run's), read once.
      const proposed =
        mode === 'pull-request' && inRepository.state === 'new'
          ? await copy.remoteBranch(proposalBranch)
          : undefined;
      if (proposed) {
        // Another run's open proposal of this name with other content is not replaced.
        await withOwnerNote(
          checkServiceInRepository({
            copy,
            service,
            files,
            repoUrl,
            branch: proposalBranch,
            revision: proposed.sha,
          }),
        );
      }
      // The Applications kupe:argocd-application:create will make from this step's outputs:
      // a cluster that is not the tenant's, or an Application of this name with another
      // spec, stops the run here instead of after the repository was written.
      const applications =
        withCluster.length > 0
          ? await withOwnerNote(
              planApplications(
                {
                  tenant,
                  component: service,
                  repoUrl,
                  targetRevision: input.targetBranch,
                  manifestType: input.manifestType,
                  environments: input.environments.map(e => ({
                    name: e.name,
                    cluster: e.cluster!,
                    namespace: e.namespace,
                    syncPolicy: e.syncPolicy,
                  })),
                  paths,
                  valueFiles,
                  upsert: false,
                },
                { store, naming },
              ),
            )
          : undefined;

      // The repository's own file URL only once the file is on the target branch: a pull
      // request's file is not there yet.
      let catalogInfoUrl = input.catalogInfoUrl || undefined;
      if (
        !catalogInfoUrl &&
        catalogInfoPath &&
        (mode !== 'pull-request' || inRepository.state === 'identical')
      ) {
        catalogInfoUrl = repositoryFileUrl(
          integrations,
          repoUrl,
          input.targetBranch,
          catalogInfoPath,
        );
      }
      const inCatalog = options.catalog
        ? await checkCatalog(
            {
              tenant,
              owner: input.owner,
              entity: input.catalogInfo,
              catalogInfoUrl,
            },
            { catalog: options.catalog, auth: options.auth! },
          )
        : undefined;
      if (inCatalog?.state === 'identical' && inRepository.state === 'new') {
        throw new ConflictError(
          `${inCatalog.entityRef} is already in the catalog, but ${repoUrl} has no apps/${service}/ on ${input.targetBranch}. ${NOTHING_WRITTEN} Choose another name`,
        );
      }

      ctx.output('repoUrl', repoUrl);
      ctx.output('paths', paths);
      if (Object.keys(valueFiles).length > 0)
        ctx.output('valueFiles', valueFiles);
      if (catalogInfoPath) ctx.output('catalogInfoPath', catalogInfoPath);
      if (catalogInfoUrl) ctx.output('catalogInfoUrl', catalogInfoUrl);

      if (inRepository.state === 'identical') {
        // An identical earlier run: report what is there, write nothing (not even a missing
        // root README), and give the same outputs as that run.
        const [introduced] = await copy.log({
          to: inRepository.commit,
          paths: [`apps/${service}`],
          maxCount: 1,
        });
        const existing = [
          `${service} is already in ${repoUrl} (apps/${service}/ on ${input.targetBranch}) as requested`,
          applications
            ? applications.applications
                .map(
                  a =>
                    `Application ${a.app.metadata.name} ${
                      a.unchanged ? 'exists as requested' : 'is missing'
                    }`,
                )
                .join(', ')
            : undefined,
          inCatalog?.state === 'identical'
            ? `${inCatalog.entityRef} is registered`
            : undefined,
        ].filter(Boolean);
        ctx.logger.info(`${existing.join('; ')}; nothing to commit`);
        ctx.output('commitSha', introduced?.sha ?? inRepository.commit);
        ctx.output('changed', false);
        return;
      }

      ctx.logger.info(
        `Repository ${repoUrl} is ${copy.state}; publishing by ${mode} push`,
      );
      if (!markerTenant) files[OWNER_MARKER_FILE] = ownerMarker(tenant);
      if ((await copy.readFile('README.md')) === undefined) {
        files['README.md'] = repositoryReadme(tenant);
      }

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would write ${
            Object.keys(files).length
          } files for ${service} to ${repoUrl}`,
        );
        const head = await copy.head();
        if (head) ctx.output('commitSha', head);
        ctx.output('changed', false);
        return;
      }

      await copy.writeFiles(files);
      const requestedBy = ctx.user?.ref
        ? `\n\nRequested-by: ${ctx.user.ref}`
        : '';
      const commit = await copy.commitIfChanged(
        `Add ${service} (${input.manifestType}) for ${envNames.join(
          ', ',
        )}${requestedBy}`,
        author,
      );

      const published = await ctx.checkpoint({
        key: `kupe.gitops-repo.publish.${repoUrl}.${input.targetBranch}.${service}`,
        fn: () =>
          publishServiceLayout({
            copy,
            mode,
            repoUrl,
            targetBranch: input.targetBranch,
            tenant,
            service,
            commit,
            proposalBranch,
            proposed,
            github,
            pullRequest: {
              title: `Add ${service} to GitOps`,
              body: `Lays out ${service} (${
                input.manifestType
              }) for ${envNames.join(', ')}.${requestedBy}`,
            },
          }),
      });

      ctx.logger.info(
        published.changed
          ? `Pushed ${published.commitSha} for ${service} to ${repoUrl}`
          : `${repoUrl} already holds ${service} as requested; nothing to commit`,
      );
      ctx.output('commitSha', published.commitSha);
      ctx.output('changed', published.changed);
      if (published.pullRequestUrl) {
        ctx.output('pullRequestUrl', published.pullRequestUrl);
      }
    },
  });
  return withPlainErrors(withInputDefaults(action));
}
