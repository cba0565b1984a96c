import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { SYNC_POLICIES, requireDns1123Label } from '@kupe/plugin-gitops-common';
import type {
  Application,
  ArgoCdClient,
  ArgoCdService,
  TenantResolver,
} from '@kupe/plugin-gitops-node';
import type {
  ApplicationScope,
  ApplicationTarget,
} from '../argocd/ApplicationTarget';
import { ArgoCdApplicationTarget } from '../argocd/ArgoCdApplicationTarget';
import { MANIFEST_TYPES } from '../layouts/types';
import { plainMessage } from '../plan/messages';
import {
  type PlannedApplication,
  planApplications,
} from '../plan/planApplications';
import { requireTenantMember } from '../tenancy/requireTenantMember';
import { examples } from './argocdApplicationCreate.examples';
import { resolveInstance } from './resolveInstance';
import { withInputDefaults } from './withInputDefaults';
import { withPlainErrors } from './withPlainErrors';

/**
 * What `createArgoCdApplicationCreateAction` is built from: the Argo CD service and the tenant resolver.
 *
 * @public
 */
export interface ArgoCdApplicationCreateActionOptions {
  argoCd: ArgoCdService;
  tenants: TenantResolver;
  /**
   * Where the tenant's project and clusters are read and its Applications written; default
   * the Argo CD API of the chosen instance.
   */
  target?: (client: ArgoCdClient) => ApplicationTarget;
}

/** What applying the plan does to this Application, for the dry-run log. */
function plannedVerb(p: PlannedApplication): 'keep' | 'replace' | 'create' {
  if (p.unchanged) return 'keep';
  if (p.existing) return 'replace';
  return 'create';
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
 *
 * @public
 */
export function createArgoCdApplicationCreateAction(
  options: ArgoCdApplicationCreateActionOptions,
) {
  const { argoCd, tenants } = options;
  const naming = tenants.naming;
  const targetOf =
    options.target ??
    ((client: ArgoCdClient) => new ArgoCdApplicationTarget(client));

  const action = createTemplateAction({
    id: 'kupe:argocd-application:create',
    description:
      "Creates one Argo CD Application per environment in the tenant's AppProject, after checking tenant membership, project, clusters, destinations and source repository. A failure part-way deletes what it created and restores what it replaced",
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
      for (const e of input.environments) {
        requireDns1123Label('environment name', e.name);
      }
      if (
        new Set(input.environments.map(e => e.name)).size !==
        input.environments.length
      ) {
        throw new InputError('Environment names must be unique');
      }
      await requireTenantMember(
        tenants,
        await ctx.getInitiatorCredentials(),
        tenant,
      );
      const client = resolveInstance(argoCd, input.instance);
      const store = targetOf(client);
      const {
        project,
        scope,
        applications: plan,
      } = await planApplications(
        {
          tenant,
          component,
          repoUrl: input.repoUrl,
          targetRevision: input.targetRevision,
          manifestType: input.manifestType,
          environments: input.environments,
          paths: input.paths,
          valueFiles: input.valueFiles,
          kustomize: input.kustomize,
          namespace: input.namespace,
          upsert: input.upsert,
        },
        { store, naming },
      );
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
      for (const p of plan) {
        if (p.unchanged) {
          ctx.logger.info(
            `Application ${p.app.metadata.name} already exists as requested`,
          );
        }
      }
      // One checkpoint for all writes and their rollback: a failed attempt leaves nothing and
      // records no success, so the scaffolder's retry plans and writes them all again. (One
      // checkpoint per Application would remember a create that the rollback then undid.)
      await ctx.checkpoint({
        key: `kupe.argocd-application.create.${
          client.instance.name
        }.${applications.join(',')}`,
        fn: async () => {
          const created: string[] = [];
          const replaced: PlannedApplication[] = [];
          for (const p of plan) {
            if (p.unchanged) continue;
            const name = p.app.metadata.name!;
            try {
              await store.put(p.app, { ...scope, upsert: !!p.existing });
            } catch (error) {
              const undone = await rollBack(store, scope, created, replaced);
              throw new ConflictError(
                `Creating Application ${name} (environment ${
                  p.environment
                }) failed: ${plainMessage(
                  error,
                )}. ${undone} Running the template again creates them`,
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
          return {
            created,
            replaced: replaced.map(r => r.app.metadata.name!),
          };
        },
      });
    },
  });
  return withPlainErrors(withInputDefaults(action));
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
      failed.push(`could not delete ${name} (${plainMessage(error)})`);
    }
  }
  for (const p of [...replaced].reverse()) {
    try {
      await store.put(restorable(p.existing!), { ...scope, upsert: true });
      done.push(`restored ${p.app.metadata.name}`);
    } catch (error) {
      failed.push(
        `could not restore ${p.app.metadata.name} (${plainMessage(error)})`,
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
