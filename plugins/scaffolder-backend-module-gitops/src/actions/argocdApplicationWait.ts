import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  requireDns1123Label,
  requireDns1123Subdomain,
} from '@kupe/plugin-gitops-common';
import type {
  Application,
  ArgoCdClient,
  ArgoCdService,
  TenantResolver,
} from '@kupe/plugin-gitops-node';
import type { ApplicationTarget } from '../argocd/ApplicationTarget';
import { ArgoCdApplicationTarget } from '../argocd/ArgoCdApplicationTarget';
import { requireTenantMember } from '../tenancy/requireTenantMember';
import { examples } from './argocdApplicationWait.examples';
import { resolveInstance } from './resolveInstance';
import { withInputDefaults } from './withInputDefaults';
import { withPlainErrors } from './withPlainErrors';

/**
 * What `createArgoCdApplicationWaitAction` is built from: the Argo CD service, the tenant resolver and its polling intervals.
 *
 * @public
 */
export interface ArgoCdApplicationWaitActionOptions {
  argoCd: ArgoCdService;
  tenants: TenantResolver;
  /** Where the Applications are read; default the Argo CD API of the chosen instance. */
  target?: (client: ArgoCdClient) => ApplicationTarget;
  /** Between polls; default 5 s. */
  pollIntervalMs?: number;
  /** How long Degraded may last before the wait fails (a rollout passes through it); default 30 s. */
  degradedGraceMs?: number;
}

function describe(app: Application): string {
  const status = app.status;
  const parts = [
    `sync ${status?.sync?.status || 'Unknown'}`,
    `health ${status?.health?.status || 'Unknown'}`,
  ];
  const operation = status?.operationState;
  if (operation)
    parts.push(
      `operation ${operation.phase}: ${operation.message ?? ''}`.trim(),
    );
  for (const c of status?.conditions ?? [])
    parts.push(`${c.type}: ${c.message}`);
  return parts.join('; ');
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('Wait aborted'));
    });
  });
}

/**
 * `kupe:argocd-application:wait`: waits until Applications are Synced and Healthy, so a
 * template reports a deployment that works rather than one that was merely accepted.
 *
 * @public
 */
export function createArgoCdApplicationWaitAction(
  options: ArgoCdApplicationWaitActionOptions,
) {
  const { argoCd, tenants } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 5_000;
  const degradedGraceMs = options.degradedGraceMs ?? 30_000;
  const targetOf =
    options.target ??
    ((client: ArgoCdClient) => new ArgoCdApplicationTarget(client));

  const action = createTemplateAction({
    id: 'kupe:argocd-application:wait',
    description:
      'Waits until Argo CD Applications of the tenant are Synced and Healthy; fails on lasting Degraded health or timeout with Argo CD conditions',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        tenant: z =>
          z.string({ description: 'Tenant owning the Applications' }),
        applications: z =>
          z.array(z.string(), { description: 'Application names' }).min(1),
        timeoutSeconds: z =>
          z
            .number({ description: 'Give up after this long' })
            .min(1)
            .max(3600)
            .default(600),
        instance: z => z.string().optional(),
      },
      output: {
        revisions: z =>
          z.record(z.string(), {
            description: 'Application → synced revision',
          }),
      },
    },
    async handler(ctx) {
      const tenant = requireDns1123Label('tenant', ctx.input.tenant);
      const names = ctx.input.applications.map(n =>
        requireDns1123Subdomain('application name', n),
      );
      await requireTenantMember(
        tenants,
        await ctx.getInitiatorCredentials(),
        tenant,
      );
      const target = targetOf(resolveInstance(argoCd, ctx.input.instance));
      const scope = { project: tenants.naming.projectOf(tenant), tenant };

      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would wait for ${names.join(', ')}`);
        ctx.output('revisions', Object.fromEntries(names.map(n => [n, ''])));
        return;
      }

      const deadline = Date.now() + ctx.input.timeoutSeconds * 1000;
      const degradedSince = new Map<string, number>();
      const pending = new Set(names);
      const revisions: Record<string, string> = {};
      const last = new Map<string, string>();
      for (;;) {
        for (const name of [...pending]) {
          const app: Application | undefined = await target.get(name, scope);
          if (!app) {
            throw new InputError(
              `Application ${name} does not exist in project ${scope.project}`,
            );
          }
          const state = describe(app);
          if (last.get(name) !== state) {
            ctx.logger.info(`${name}: ${state}`);
            last.set(name, state);
          }
          const sync = app.status?.sync?.status;
          const health = app.status?.health?.status;
          if (sync === 'Synced' && health === 'Healthy') {
            pending.delete(name);
            revisions[name] = app.status?.sync?.revision ?? '';
            continue;
          }
          const phase = app.status?.operationState?.phase;
          if (
            health === 'Degraded' ||
            phase === 'Failed' ||
            phase === 'Error'
          ) {
            const since = degradedSince.get(name) ?? Date.now();
            degradedSince.set(name, since);
            if (Date.now() - since >= degradedGraceMs) {
              throw new Error(`Application ${name} failed to deploy: ${state}`);
            }
          } else {
            degradedSince.delete(name);
          }
        }
        if (pending.size === 0) break;
        if (Date.now() >= deadline) {
          throw new Error(
            `Timed out after ${ctx.input.timeoutSeconds}s waiting for ${[
              ...pending,
            ]
              .map(n => `${n} (${last.get(n)})`)
              .join(', ')}`,
          );
        }
        await sleep(pollIntervalMs, ctx.signal);
      }
      ctx.output('revisions', revisions);
    },
  });
  return withPlainErrors(withInputDefaults(action));
}
