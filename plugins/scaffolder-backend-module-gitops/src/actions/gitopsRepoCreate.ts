import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  requireDns1123Label,
  type TenantNaming,
} from '@kupe/plugin-gitops-common';
import {
  type ArgoCdClient,
  type CommitAuthor,
  GitWorkingCopy,
  isSourceRepoPermitted,
  resolveGitCredentials,
} from '@kupe/plugin-gitops-node';
import { ArgoCdApplicationTarget } from '../argocd/ArgoCdApplicationTarget';
import { loadTenantProject } from '../argocd/loadTenantProject';
import { checkRemoteUrl } from '../git/checkRemoteUrl';
import { repositoryFileUrl } from '../git/fileUrl';
import { serviceFiles } from '../layouts/serviceFiles';
import { publishMode, publishServiceLayout } from '../git/publishServiceLayout';
import {
  OWNER_MARKER_FILE,
  ownerMarker,
  repositoryReadme,
  tenantOfMarker,
} from '../layouts/repositoryFiles';
import { serviceLayout, sourcePathsOf } from '../layouts/serviceLayout';
import { MANIFEST_TYPES } from '../layouts/types';
import { checkCatalog, withCatalogOwnerNote } from '../plan/checkCatalog';
import { checkServiceInRepository } from '../plan/checkServiceInRepository';
import { NOTHING_WRITTEN, describeExisting } from '../plan/messages';
import { planApplications } from '../plan/planApplications';
import { requireTenantMember } from '../tenancy/requireTenantMember';
import { examples } from './gitopsRepoCreate.examples';
import type { GitOpsRepoCreateActionOptions } from './gitopsRepoCreateOptions';
import { resolveInstance } from './resolveInstance';
import { withInputDefaults } from './withInputDefaults';
import { withPlainErrors } from './withPlainErrors';

const DEFAULT_AUTHOR: CommitAuthor = {
  name: 'Kupe GitOps',
  email: 'gitops@kupe.cloud',
};

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
    schema: {
      input: {
        repoUrl: z =>
          z.string({
            description:
              "HTTP(S) clone URL of the tenant's GitOps repository; must be allowed by the tenant AppProject's sourceRepos",
          }),
        tenant: z => z.string({ description: 'Tenant owning the service' }),
        name: z => z.string({ description: 'Service name (a DNS-1123 label)' }),
        owner: z =>
          z.string({
            description: 'Owner entity ref, e.g. group:default/team-a',
          }),
        codeOwners: z =>
          z
            .array(z.string(), {
              description:
                'CODEOWNERS handles for the service; default @<owner group name>, on GitHub @<organization>/<owner group name>',
            })
            .optional(),
        manifestType: z =>
          z
            .enum(MANIFEST_TYPES, { description: 'kustomize, helm or plain' })
            .default('kustomize'),
        image: z =>
          z.string({
            description:
              'Container image without tag, e.g. registry.example.com/acme/web',
          }),
        port: z =>
          z
            .number({ description: 'Container port' })
            .int()
            .min(1)
            .max(65535)
            .default(8080),
        environments: z =>
          z
            .array(
              z.object({
                name: z.string({ description: 'Environment, e.g. dev' }),
                imageTag: z.string().default('latest'),
                replicas: z.number().int().min(0).default(1),
                cluster: z.string().optional(),
                namespace: z.string().optional(),
                syncPolicy: z.string().optional(),
              }),
              { description: 'Environments in promotion order' },
            )
            .min(1),
        targetBranch: z =>
          z
            .string({ description: 'Branch Argo CD deploys from' })
            .default('main'),
        directPush: z =>
          z
            .boolean({
              description:
                'Push straight to targetBranch when the host cannot open pull requests',
            })
            .default(false),
        instance: z =>
          z
            .string({
              description:
                'Argo CD instance holding the tenant project; default the first configured',
            })
            .optional(),
        catalogInfo: z =>
          z
            .record(z.unknown(), {
              description:
                'Catalog entity of the service, written as apps/<name>/catalog-info.yaml next to its manifests',
            })
            .optional(),
        catalogInfoUrl: z =>
          z
            .string({
              description:
                'Where the catalog will read the entity from when not from this repository (a template override); the catalog check compares it with what is registered, and it is passed on as the catalogInfoUrl output',
            })
            .optional(),
      },
      output: {
        repoUrl: z => z.string(),
        commitSha: z =>
          z
            .string({
              description: 'Commit now holding the layout (absent in dry-run)',
            })
            .optional(),
        paths: z =>
          z.record(z.string(), {
            description: 'Environment → path in the repository',
          }),
        valueFiles: z =>
          z
            .record(z.array(z.string()), {
              description: 'Environment → Helm value files (Helm layouts only)',
            })
            .optional(),
        pullRequestUrl: z => z.string().optional(),
        catalogInfoPath: z =>
          z
            .string({
              description:
                'Repository path of the written catalog-info.yaml (with catalogInfo)',
            })
            .optional(),
        catalogInfoUrl: z =>
          z
            .string({
              description:
                'URL the catalog can read catalog-info.yaml from on the target branch, for catalog:register; absent for a pull request or a host whose file URLs are unknown',
            })
            .optional(),
        changed: z =>
          z.boolean({ description: 'Whether this run committed anything' }),
      },
    },
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

      // A name conflict found in Git or Argo CD also says who owns the service.
      const withOwnerNote = <T>(check: Promise<T>) =>
        withCatalogOwnerNote(
          check,
          options.catalog && {
            catalog: options.catalog,
            auth: options.auth!,
          },
          { tenant, service, entity: input.catalogInfo },
        );

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
      const { paths, valueFiles } = sourcePathsOf(layout.sources);

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

      const { files, catalogInfoPath } = serviceFiles({
        layoutFiles: layout.files,
        service,
        owner: input.owner,
        manifestType: input.manifestType,
        paths,
        codeowners: await copy.readFile('CODEOWNERS'),
        codeOwners: input.codeOwners,
        githubOrg: canOpenPullRequest
          ? github!.repositoryOf(repoUrl).owner
          : undefined,
        catalogInfo: input.catalogInfo,
      });
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
        const existing = describeExisting({
          service,
          repoUrl,
          branch: input.targetBranch,
          applications: applications?.applications,
          catalogEntityRef:
            inCatalog?.state === 'identical' ? inCatalog.entityRef : undefined,
        });
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
