import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  SYNC_POLICIES,
  requireDns1123Label,
  requireDns1123Subdomain,
} from '@kupe/plugin-gitops-common';
import {
  type Application,
  type ArgoCdClient,
  type ArgoCdService,
  type TenantResolver,
  isDestinationPermitted,
  isSourceRepoPermitted,
} from '@kupe/plugin-gitops-node';
import type {
  ApplicationScope,
  ApplicationTarget,
} from '../argocd/ApplicationTarget';
import { ArgoCdApplicationTarget } from '../argocd/ArgoCdApplicationTarget';
import {
  buildTenantApplication,
  isSameApplication,
} from '../argocd/buildTenantApplication';
import { loadTenantProject } from '../argocd/loadTenantProject';
import { serviceSources } from '../layouts/serviceLayout';
import { MANIFEST_TYPES } from '../layouts/types';
import { requireTenantMember } from '../tenancy/requireTenantMember';
import { examples } from './argocdApplicationCreate.examples';
import { resolveInstance } from './resolveInstance';
import { withInputDefaults } from './withInputDefaults';

export interface ArgocdApplicationCreateActionOptions {
  argoCd: ArgoCdService;
  tenants: TenantResolver;
  /**
   * Where the tenant's project and clusters are read and its Applications written; default
   * the Argo CD API of the chosen instance.
   */
  target?: (client: ArgoCdClient) => ApplicationTarget;
}

interface PlannedApplication {
  environment: string;
  app: Application;
  /** What exists now: nothing, the same app, or a different one (replaced on upsert). */
  existing?: Application;
  unchanged: boolean;
}

/** What applying the plan does to this Application, for the dry-run log. */
function plannedVerb(p: PlannedApplication): 'keep' | 'replace' | 'create' {
  if (p.unchanged) return 'keep';
  if (p.existing) return 'replace';
  return 'create';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What can be written back to restore an Application replaced by this run. */
function restorable(app: Application): Application {
  return {
    metadata: {
      name: app.metadata.name,
      labels: app.metadata.labels,
      annotations: app.metadata.annotations,
      finalizers: app.metadata.finalizers,
    },
    spec: app.spec,
  };
}

/**
 * `kupe:argocd-application:create`: one Argo CD Application per environment in the tenant's
 * AppProject. Everything is checked before the first write, and a failure part-way removes
 * what this run created, so a template never leaves half a service behind.
 */
export function createArgocdApplicationCreateAction(
  options: ArgocdApplicationCreateActionOptions,
) {
  const { argoCd, tenants } = options;
  const naming = tenants.naming;
  const targetOf =
    options.target ??
    ((client: ArgoCdClient) => new ArgoCdApplicationTarget(client));

  const action = createTemplateAction({
    id: 'kupe:argocd-application:create',
    description:
      "Creates one Argo CD Application per environment in the tenant's AppProject, after checking tenant membership, project, clusters, destinations and source repository",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        tenant: z => z.string({ description: 'Tenant owning the service' }),
        name: z =>
          z.string({
            description:
              'Component name; Applications are named <name>-<environment>',
          }),
        entityNamespace: z =>
          z
            .string({ description: 'Catalog namespace of the component' })
            .default('default'),
        repoUrl: z =>
          z.string({ description: 'Git repository of the manifests' }),
        targetRevision: z =>
          z
            .string({ description: 'Branch, tag or commit to deploy' })
            .default('main'),
        manifestType: z => z.enum(MANIFEST_TYPES).default('kustomize'),
        paths: z =>
          z
            .record(z.string(), {
              description:
                'Environment → path, e.g. the paths output of kupe:gitops-repo:create; default the standard layout',
            })
            .optional(),
        valueFiles: z =>
          z
            .record(z.array(z.string()), {
              description:
                'Environment → Helm value files; default values-<env>.yaml for Helm',
            })
            .optional(),
        kustomize: z =>
          z
            .object({
              namePrefix: z.string().optional(),
              nameSuffix: z.string().optional(),
              commonLabels: z.record(z.string()).optional(),
            })
            .optional(),
        environments: z =>
          z
            .array(
              z.object({
                name: z.string({ description: 'Environment, e.g. dev' }),
                cluster: z.string({
                  description: "Tenant's cluster, e.g. dev for acme-dev",
                }),
                namespace: z.string().optional(),
                syncPolicy: z.enum(SYNC_POLICIES).default('manual'),
                imageTag: z.string().optional(),
                replicas: z.number().optional(),
              }),
            )
            .min(1),
        namespace: z =>
          z
            .string({
              description: 'Destination namespace; default the component name',
            })
            .optional(),
        upsert: z =>
          z
            .boolean({
              description: 'Replace existing Applications whose spec differs',
            })
            .default(false),
        instance: z =>
          z
            .string({
              description: 'Argo CD instance; default the first configured',
            })
            .optional(),
      },
      output: {
        applications: z =>
          z.array(z.string(), { description: 'Application names' }),
        argoCdUrls: z =>
          z.array(z.string(), { description: 'Argo CD UI links, same order' }),
        entityGitOpsUrl: z =>
          z.string({ description: 'GitOps tab of the component' }),
      },
    },
    async handler(ctx) {
      const input = ctx.input;

      // Local checks first: they need nobody's permission and reach no server.
      const tenant = requireDns1123Label('tenant', input.tenant);
      const component = requireDns1123Label('name', input.name);
      const entityNamespace = requireDns1123Label(
        'entityNamespace',
        input.entityNamespace,
      );
      const envs = input.environments.map(e => ({
        ...e,
        name: requireDns1123Label('environment name', e.name),
        destinationName: naming.clusterOf(tenant, e.cluster),
        namespace: requireDns1123Label(
          'namespace',
          e.namespace ?? input.namespace ?? component,
        ),
        appName: requireDns1123Subdomain(
          'application name',
          `${component}-${e.name}`,
        ),
      }));
      if (new Set(envs.map(e => e.name)).size !== envs.length) {
        throw new InputError('Environment names must be unique');
      }
      const sources = serviceSources(
        input.manifestType,
        component,
        envs.map(e => e.name),
      );

      await requireTenantMember(
        tenants,
        await ctx.getInitiatorCredentials(),
        tenant,
      );

      const client = resolveInstance(argoCd, input.instance);
      const store = targetOf(client);
      const project = naming.projectOf(tenant);
      const scope: ApplicationScope = { project, tenant };
      const appProject = await loadTenantProject(store, project, tenant);
      if (!isSourceRepoPermitted(appProject, input.repoUrl)) {
        throw new InputError(
          `Repository ${
            input.repoUrl
          } is not allowed by AppProject ${project} (sourceRepos: ${(
            appProject.spec.sourceRepos ?? []
          ).join(', ')})`,
        );
      }
      const clusters = await store.listClusters(scope);
      for (const env of envs) {
        const cluster = clusters.find(c => c.name === env.destinationName);
        if (!cluster) {
          throw new InputError(
            `Cluster ${env.destinationName} (environment ${env.name}) is not registered in Argo CD (${store.location})`,
          );
        }
        if (
          !isDestinationPermitted(appProject, {
            name: cluster.name,
            server: cluster.server,
            namespace: env.namespace,
          })
        ) {
          throw new InputError(
            `AppProject ${project} does not allow cluster ${cluster.name} namespace ${env.namespace} (environment ${env.name})`,
          );
        }
      }

      const plan: PlannedApplication[] = [];
      for (const env of envs) {
        const app = buildTenantApplication({
          name: env.appName,
          tenant,
          project,
          environment: env.name,
          component,
          destinationName: env.destinationName,
          namespace: env.namespace,
          repoUrl: input.repoUrl,
          path: input.paths?.[env.name] ?? sources[env.name].path,
          targetRevision: input.targetRevision,
          syncPolicy: env.syncPolicy,
          valueFiles:
            input.valueFiles?.[env.name] ?? sources[env.name].valueFiles,
          kustomize:
            input.manifestType === 'kustomize' ? input.kustomize : undefined,
        });
        const existing = await store.get(env.appName, scope);
        const unchanged = !!existing && isSameApplication(existing, app);
        if (existing && !unchanged && !input.upsert) {
          throw new ConflictError(
            `Application ${env.appName} already exists with a different spec; set upsert: true to replace it`,
          );
        }
        plan.push({ environment: env.name, app, existing, unchanged });
      }

      const applications = plan.map(p => p.app.metadata.name!);
      const uiUrl = client.instance.uiUrl.replace(/\/+$/, '');
      ctx.output('applications', applications);
      ctx.output(
        'argoCdUrls',
        applications.map(
          name =>
            `${uiUrl}/applications/${store.appNamespace}/${encodeURIComponent(
              name,
            )}`,
        ),
      );
      ctx.output(
        'entityGitOpsUrl',
        `/catalog/${entityNamespace}/component/${component}/gitops`,
      );

      if (ctx.isDryRun) {
        for (const p of plan) {
          ctx.logger.info(
            `Dry run: would ${plannedVerb(p)} Application ${
              p.app.metadata.name
            }`,
          );
        }
        return;
      }

      const created: string[] = [];
      const replaced: PlannedApplication[] = [];
      for (const p of plan) {
        const name = p.app.metadata.name!;
        if (p.unchanged) {
          ctx.logger.info(`Application ${name} already exists as requested`);
          continue;
        }
        try {
          await ctx.checkpoint({
            key: `kupe.argocd-application.put.${client.instance.name}.${name}`,
            fn: async () => {
              await store.put(p.app, { ...scope, upsert: !!p.existing });
            },
          });
        } catch (error) {
          const undone = await rollBack(store, scope, created, replaced);
          throw new ConflictError(
            `Creating Application ${name} (environment ${
              p.environment
            }) failed: ${errorMessage(error)}. ${undone}`,
          );
        }
        if (p.existing) replaced.push(p);
        else created.push(name);
        ctx.logger.info(
          `${
            p.existing ? 'Replaced' : 'Created'
          } Application ${name} in project ${project}`,
        );
      }
    },
  });
  return withInputDefaults(action);
}

/** Undoes this run's writes, newest first, and says what happened to each. */
async function rollBack(
  store: ApplicationTarget,
  scope: ApplicationScope,
  created: string[],
  replaced: PlannedApplication[],
): Promise<string> {
  const done: string[] = [];
  const failed: string[] = [];
  for (const name of [...created].reverse()) {
    try {
      await store.delete(name, scope);
      done.push(`deleted ${name}`);
    } catch (error) {
      failed.push(`could not delete ${name} (${errorMessage(error)})`);
    }
  }
  for (const p of [...replaced].reverse()) {
    try {
      await store.put(restorable(p.existing!), { ...scope, upsert: true });
      done.push(`restored ${p.app.metadata.name}`);
    } catch (error) {
      failed.push(
        `could not restore ${p.app.metadata.name} (${errorMessage(error)})`,
      );
    }
  }
  if (done.length === 0 && failed.length === 0) {
    return 'Nothing had been written by this run.';
  }
  return [
    done.length ? `Rolled back: ${done.join(', ')}.` : '',
    failed.length ? `Rollback incomplete: ${failed.join(', ')}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}
