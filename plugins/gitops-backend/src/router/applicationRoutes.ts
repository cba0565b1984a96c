import { ConflictError, isError } from '@backstage/errors';
import {
  type ActionResponse,
  type ApplicationDetail,
  type ManagedResourcesResponseBody,
  type RefreshRequestBody,
  type RollbackRequestBody,
  type SyncRequestBody,
  gitOpsApplicationSyncForcePermission,
  gitOpsApplicationSyncPrunePermission,
} from '@kupe/plugin-gitops-common';
import {
  type Application,
  type ArgoCdService,
  toArgoCdSyncRequest,
} from '@kupe/plugin-gitops-node';
import type { Request } from 'express';
import type {
  AdditionalPermission,
  VisibleApplication,
} from '../service/ApplicationAccess';
import type { ApplicationDetails } from '../service/ApplicationDetails';
import type { QuarantineChecks } from '../quarantine/QuarantineChecks';
import { toApplicationSummary } from '../service/toApplicationSummary';
import type { ApplicationGate } from './applicationGate';

// The OpenAPI validator has checked every body against the document before the gate runs.
const syncBody = (req: Request) => req.body as SyncRequestBody;
const refreshBody = (req: Request) => req.body as RefreshRequestBody;
const rollbackBody = (req: Request) => req.body as RollbackRequestBody;

/** Force and prune are asked for by name beside the action's permission (see the document). */
function optionPermissions(body: {
  force?: boolean;
  prune?: boolean;
  dryRun?: boolean;
}): AdditionalPermission[] {
  const needed: AdditionalPermission[] = [];
  // A dry run changes nothing, whatever it simulates.
  if (body.dryRun) return needed;
  if (body.force)
    needed.push({
      permission: gitOpsApplicationSyncForcePermission,
      asking: 'force a sync of',
    });
  if (body.prune)
    needed.push({
      permission: gitOpsApplicationSyncPrunePermission,
      asking: 'prune resources of',
    });
  return needed;
}

/**
 * One application in Argo CD: detail, managed resources, sync, refresh, terminate and rollback
 * under `/instances/:instance/applications/:name`, all behind the {@link ApplicationGate}.
 */
export function registerApplicationRoutes(
  gate: ApplicationGate,
  options: {
    argoCd: ArgoCdService;
    details: ApplicationDetails;
    /** Refuses a rollback to a history entry that deployed a quarantined version. */
    quarantine: QuarantineChecks;
  },
): void {
  const { argoCd, details } = options;
  const uiUrlOf = (instance: string) =>
    argoCd.listInstances().find(i => i.name === instance)?.uiUrl;
  const summaryOf = (visible: VisibleApplication, app?: Application) => {
    const record = (app && visible.index.upsert(app)) || visible.app;
    return toApplicationSummary(
      record,
      visible.index.freshness(),
      uiUrlOf(visible.index.instance),
    );
  };

  gate.get('/instances/{instance}/applications/{name}', {
    audit: { eventId: 'application-read' },
    handle: ({ visible, target }): Promise<ApplicationDetail> =>
      details.detail(visible, uiUrlOf(target.instance)),
  });

  gate.get('/instances/{instance}/applications/{name}/resources', {
    audit: { eventId: 'application-resources-read' },
    handle: ({ visible }): Promise<ManagedResourcesResponseBody> =>
      details.managedResources(visible),
  });

  gate.post('/instances/{instance}/applications/{name}/sync', {
    audit: {
      eventId: 'application-sync',
      severityLevel: req => {
        const body = syncBody(req);
        if (body.dryRun) return 'low';
        return body.force || body.prune ? 'high' : 'medium';
      },
      meta: req => {
        const body = syncBody(req);
        return {
          prune: body.prune,
          dryRun: body.dryRun,
          force: body.force,
          applyOnly: body.applyOnly,
          applyOutOfSyncOnly: body.applyOutOfSyncOnly,
          serverSideApply: body.serverSideApply,
          revision: body.revision,
          resources: body.resources
            ?.map(r =>
              [r.group ?? '', r.kind, r.namespace ?? '', r.name].join('/'),
            )
            .join(', '),
        };
      },
    },
    additionalPermissions: req => optionPermissions(syncBody(req)),
    handle: async ({ req, credentials, visible }): Promise<ActionResponse> => {
      const body = syncBody(req);
      let app: Application;
      try {
        // Chosen sync options replace the app's own in Argo CD: read them to send them along.
        const applicationSyncOptions =
          body.applyOutOfSyncOnly || body.serverSideApply
            ? (
                await visible.client.getApplication(
                  visible.app.name,
                  visible.scope,
                )
              ).spec.syncPolicy?.syncOptions
            : undefined;
        app = await visible.client.syncApplication(
          visible.app.name,
          toArgoCdSyncRequest({
            ...body,
            applicationSyncOptions,
            // Argo CD records the token's subject as initiatedBy; the portal user who
            // asked goes into the operation's info, which Argo CD's UI and API show.
            requestedBy: credentials.principal.userEntityRef,
          }),
          visible.scope,
        );
      } catch (error) {
        // Argo CD refuses with 403, but a change freeze is no permission problem.
        throw (await details.syncWindows.blockedError(visible, error)) ?? error;
      }
      return { summary: summaryOf(visible, app) };
    },
  });

  // Argo CD asks only `get` for a refresh (the document names the read permission): it changes
  // no desired or live state.
  gate.post('/instances/{instance}/applications/{name}/refresh', {
    audit: {
      eventId: 'application-refresh',
      severityLevel: () => 'low',
      meta: req => ({ hard: refreshBody(req).hard }),
    },
    handle: async ({ req, visible }): Promise<ActionResponse> => {
      const app = await visible.client.getApplication(visible.app.name, {
        ...visible.scope,
        refresh: refreshBody(req).hard ? 'hard' : 'normal',
      });
      return { summary: summaryOf(visible, app) };
    },
  });

  gate.post('/instances/{instance}/applications/{name}/terminate', {
    audit: { eventId: 'application-terminate' },
    handle: async ({ visible }): Promise<ActionResponse> => {
      await visible.client.terminateOperation(visible.app.name, visible.scope);
      return { summary: summaryOf(visible) };
    },
  });

  gate.post('/instances/{instance}/applications/{name}/rollback', {
    audit: {
      eventId: 'application-rollback',
      severityLevel: req => (rollbackBody(req).dryRun ? 'low' : 'high'),
      meta: req => {
        const body = rollbackBody(req);
        return { historyId: body.id, prune: body.prune, dryRun: body.dryRun };
      },
    },
    additionalPermissions: req => optionPermissions(rollbackBody(req)),
    handle: async ({ req, visible }): Promise<ActionResponse> => {
      const body = rollbackBody(req);
      const autoSyncError = new ConflictError(
        `Application ${visible.app.name} has automated sync (${visible.app.syncPolicy}); Argo CD would undo a rollback. Switch it to manual sync first.`,
      );
      if (visible.app.syncPolicy !== 'manual') throw autoSyncError;
      if (!body.dryRun)
        await options.quarantine.refuseRollback(visible, body.id);
      try {
        const app = await visible.client.rollbackApplication(
          visible.app.name,
          { id: body.id, prune: body.prune, dryRun: body.dryRun },
          visible.scope,
        );
        return { summary: summaryOf(visible, app) };
      } catch (error) {
        // The index may lag a policy change made in Argo CD itself.
        if (isError(error) && /auto-sync is enabled/.test(error.message))
          throw autoSyncError;
        throw error;
      }
    },
  });
}
