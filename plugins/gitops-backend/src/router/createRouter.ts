import type {
  AuditorService,
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotFoundError,
  isError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  type ActionResponse,
  gitOpsApplicationReadPermission,
  gitOpsApplicationRollbackPermission,
  gitOpsApplicationSyncPermission,
} from '@kupe/plugin-gitops-common';
import type { Application, ArgoCdService } from '@kupe/plugin-gitops-node';
import express, { type Request, type Response } from 'express';
import Router from 'express-promise-router';
import { jsonBody } from './jsonBody';
import type { BackendOptions } from '../config/BackendOptions';
import type { ApplicationIndex } from '../applicationIndex/ApplicationIndex';
import type {
  ApplicationAccess,
  VisibleApplication,
} from '../service/ApplicationAccess';
import type { ApplicationDetails } from '../service/ApplicationDetails';
import type { EntityApplications } from '../service/EntityApplications';
import type { TenantDirectory } from '../service/TenantDirectory';
import { toApplicationSummary } from '../service/toApplicationSummary';
import { applicationTarget, audited } from './applicationTarget';
import { EntityCache, type EntityCacheOptions } from './EntityCache';
import { openEventStream } from './eventStream';
import {
  entityParams,
  eventsQuery,
  parseInput,
  refreshBody,
  rollbackBody,
  syncBody,
} from './requestSchemas';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  logger: LoggerService;
  catalog: CatalogService;
  argoCd: ArgoCdService;
  index: ApplicationIndex;
  access: ApplicationAccess;
  entityApplications: EntityApplications;
  details: ApplicationDetails;
  tenantDirectory: TenantDirectory;
  options: Pick<BackendOptions, 'eventsHeartbeatMs'>;
  /** Reuse of a user's entity reads (default 5 s); `{ ttlMs: 0 }` reads the catalog every time. */
  entityCache?: EntityCacheOptions;
}

/** The operation info naming the portal user who started an Argo CD operation. */
function requestedBy(
  credentials: BackstageCredentials<BackstageUserPrincipal>,
): { name: string; value: string } {
  return {
    name: 'Requested by',
    value: `${credentials.principal.userEntityRef} (Kupe portal)`,
  };
}

/** The `/api/gitops` routes; every one tenant-scoped, validated and (for writes) audited. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    httpAuth,
    auditor,
    catalog,
    argoCd,
    index,
    access,
    entityApplications,
    details,
  } = options;
  const router = Router();
  router.use(jsonBody('64kb'));
  const entityCache = new EntityCache(options.entityCache);

  const uiUrlOf = (instance: string) =>
    argoCd.listInstances().find(i => i.name === instance)?.uiUrl;

  const getEntity = async (
    req: Request,
    ref: { kind: string; namespace: string; name: string },
  ) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    // The caller's own credentials: the catalog's read permission applies to the entity.
    // Reused for a few seconds per user and entity; see EntityCache.
    const entity = await entityCache.get(credentials, ref, () =>
      catalog.getEntityByRef(ref, { credentials }),
    );
    if (!entity)
      throw new NotFoundError(`Entity ${stringifyEntityRef(ref)} not found`);
    return { entity, credentials };
  };

  const summaryOf = (visible: VisibleApplication, app?: Application) => {
    const record = (app && visible.index.upsert(app)) || visible.app;
    return toApplicationSummary(
      record,
      visible.index.freshness(),
      uiUrlOf(visible.index.instance),
    );
  };

  router.get(
    '/entities/:namespace/:kind/:name/applications',
    async (req, res) => {
      const ref = parseInput(entityParams, req.params, 'path');
      const { entity, credentials } = await getEntity(req, ref);
      sendJson(res, await entityApplications.load(entity, credentials));
    },
  );

  router.get('/instances/:instance/applications/:name', async (req, res) => {
    const target = applicationTarget(req);
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const visible = await access.requireApplication(credentials, target);
    res.json(await details.detail(visible, uiUrlOf(target.instance)));
  });

  router.get(
    '/instances/:instance/applications/:name/resources',
    async (req, res) => {
      const target = applicationTarget(req);
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const visible = await access.requireApplication(credentials, target);
      res.json(await details.managedResources(visible));
    },
  );

  router.post(
    '/instances/:instance/applications/:name/sync',
    async (req, res) => {
      const target = applicationTarget(req);
      const body = parseInput(syncBody, req.body, 'body');
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const response: ActionResponse = await audited(
        auditor,
        req,
        'application-sync',
        body.dryRun ? 'low' : 'medium',
        {
          ...target,
          prune: body.prune,
          dryRun: body.dryRun,
          revision: body.revision,
          resources: body.resources?.length,
        },
        async () => {
          const visible = await access.requireApplication(
            credentials,
            target,
            gitOpsApplicationSyncPermission,
          );
          let app: Application;
          try {
            app = await visible.client.syncApplication(
              visible.app.name,
              {
                prune: body.prune,
                dryRun: body.dryRun,
                revision: body.revision,
                resources: body.resources,
                // Argo CD records the token's subject as initiatedBy; the portal user who
                // asked goes into the operation's info, which Argo CD's UI and API show.
                infos: [requestedBy(credentials)],
              },
              visible.scope,
            );
          } catch (error) {
            // Argo CD refuses with 403, but a change freeze is no permission problem.
            throw (
              (await details.syncWindows.blockedError(visible, error)) ?? error
            );
          }
          return { summary: summaryOf(visible, app) };
        },
      );
      res.json(response);
    },
  );

  router.post(
    '/instances/:instance/applications/:name/refresh',
    async (req, res) => {
      const target = applicationTarget(req);
      const body = parseInput(refreshBody, req.body, 'body');
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const response: ActionResponse = await audited(
        auditor,
        req,
        'application-refresh',
        'low',
        { ...target, hard: body.hard },
        async () => {
          // Argo CD asks only `get` for a refresh; it changes no desired or live state.
          const visible = await access.requireApplication(
            credentials,
            target,
            gitOpsApplicationReadPermission,
          );
          const app = await visible.client.getApplication(visible.app.name, {
            ...visible.scope,
            refresh: body.hard ? 'hard' : 'normal',
          });
          return { summary: summaryOf(visible, app) };
        },
      );
      res.json(response);
    },
  );

  router.post(
    '/instances/:instance/applications/:name/terminate',
    async (req, res) => {
      const target = applicationTarget(req);
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const response: ActionResponse = await audited(
        auditor,
        req,
        'application-terminate',
        'medium',
        target,
        async () => {
          const visible = await access.requireApplication(
            credentials,
            target,
            gitOpsApplicationSyncPermission,
          );
          await visible.client.terminateOperation(
            visible.app.name,
            visible.scope,
          );
          return { summary: summaryOf(visible) };
        },
      );
      res.json(response);
    },
  );

  router.post(
    '/instances/:instance/applications/:name/rollback',
    async (req, res) => {
      const target = applicationTarget(req);
      const body = parseInput(rollbackBody, req.body, 'body');
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const response: ActionResponse = await audited(
        auditor,
        req,
        'application-rollback',
        body.dryRun ? 'low' : 'high',
        {
          ...target,
          historyId: body.id,
          prune: body.prune,
          dryRun: body.dryRun,
        },
        async () => {
          const visible = await access.requireApplication(
            credentials,
            target,
            gitOpsApplicationRollbackPermission,
          );
          const autoSyncError = new ConflictError(
            `Application ${visible.app.name} has automated sync (${visible.app.syncPolicy}); Argo CD would undo a rollback. Switch it to manual sync first.`,
          );
          if (visible.app.syncPolicy !== 'manual') throw autoSyncError;
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
      );
      res.json(response);
    },
  );

  router.get('/tenants', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(await options.tenantDirectory.list(credentials));
  });

  router.get('/events', async (req, res) => {
    const { entityRef: rawRef } = parseInput(eventsQuery, req.query, 'query');
    let ref;
    try {
      ref = parseEntityRef(rawRef);
    } catch (error) {
      throw new InputError(`Invalid entityRef: ${(error as Error).message}`);
    }
    const { entity, credentials } = await getEntity(req, ref);
    // Validates the annotations before the stream opens, so a bad one is still a 400.
    const instances = new Set(entityApplications.instancesOf(entity));
    const entityRef = stringifyEntityRef(entity);
    openEventStream(req, res, {
      index,
      entityApplications,
      heartbeatMs: options.options.eventsHeartbeatMs,
      stream: { entity, entityRef, instances, credentials },
    });
  });

  return router;
}

/**
 * `res.json` without its per-response work that buys nothing here: no ETag (a SHA-1 of every
 * body; the answers carry ages, so they never match), and the body written as a string
 * together with the headers in one socket write instead of a header write and a buffer write.
 */
function sendJson(res: Response, body: unknown) {
  const text = JSON.stringify(body);
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
