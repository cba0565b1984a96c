import type {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { EntityApplicationsResponse } from '@kupe/plugin-gitops-common';
import type { ArgoCdService } from '@kupe/plugin-gitops-node';
import type { Request, Response } from 'express';
import type express from 'express';
import type { BackendOptions } from '../config/BackendOptions';
import type { ApplicationIndex } from '../applicationIndex/ApplicationIndex';
import type { RequestActivity } from '../applicationIndex/RequestActivity';
import type { DoraService } from '../dora/DoraService';
import type { GitOperations } from '../gitOperations/GitOperations';
import type { QuarantineChecks } from '../quarantine/QuarantineChecks';
import type { QuarantineService } from '../quarantine/QuarantineService';
import type { RolloutStore } from '../rolloutValidation/RolloutStore';
import type { ApplicationAccess } from '../service/ApplicationAccess';
import type { ApplicationDetails } from '../service/ApplicationDetails';
import type { EntityApplications } from '../service/EntityApplications';
import type { TenantDirectory } from '../service/TenantDirectory';
import { ApplicationGate } from './applicationGate';
import { registerApplicationRoutes } from './applicationRoutes';
import type { SharedApplicationReads } from '../service/SharedApplicationReads';
import { EntityCache, type EntityCacheOptions } from './EntityCache';
import { EventStreamChanges, openEventStream } from './eventStream';
import { registerGitOperationsRoutes } from './gitOperationsRoutes';
import { registerDoraRoutes } from './doraRoutes';
import { createGitOpsApiRouter } from './openApiRouter';
import { registerQuarantineRoutes } from './quarantineRoutes';
import { registerRolloutRoutes } from './rolloutRoutes';
import { registerArgoRolloutRoutes } from './argoRolloutRoutes';
import { registerLogRoutes } from './logRoutes';
import { registerApplicationSetRoutes } from './applicationSetRoutes';
import { registerAutoSyncRoutes } from './autoSyncRoutes';

export interface RouterOptions {
  /** Counts the requests in flight, which the index's start-up re-send lets go first. */
  requests?: RequestActivity;
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
  gitOperations: GitOperations;
  rollouts: RolloutStore;
  dora: DoraService;
  quarantines: QuarantineService;
  /** The quarantine check of promotions, rollbacks and reverts. */
  quarantine: QuarantineChecks;
  options: Pick<BackendOptions, 'eventsHeartbeatMs'>;
  /** Reuse of a user's entity reads (default 5 s); `{ ttlMs: 0 }` reads the catalog every time. */
  entityCache?: EntityCacheOptions;
  /** The Argo CD reads a page's requests share (details, previews): a write drops its app's. */
  reads?: SharedApplicationReads;
}

/**
 * The `/api/gitops` routes, on the router generated from openapi.yaml (every request validated
 * against the document). Per-application routes are added only through the
 * {@link ApplicationGate}; construction fails when one of the document's is missing.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, catalog, index, access, entityApplications } = options;
  // One index listener for every open event stream, which finds those a change concerns.
  const streamChanges = new EventStreamChanges(index);
  const { router, api } = await createGitOpsApiRouter({
    first: options.requests?.track,
  });
  const entityCache = new EntityCache(options.entityCache);

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

  /**
   * The caller's applications of the entity, with how many of its quarantines still run
   * (left out when they cannot be read: the page then asks for them as it would anyway).
   */
  const entityAnswer = async (
    entity: Entity,
    credentials: BackstageCredentials,
  ): Promise<EntityApplicationsResponse> => {
    const loaded = await entityApplications.load(entity, credentials);
    // A caller outside the entity's tenant learns nothing of its apps, not even a count.
    if (loaded.withheld) return loaded;
    const runningQuarantines = await options.quarantines
      .countRunning(entity, loaded)
      .catch(error => {
        // Only the message: the page still asks for the quarantines, so nothing is lost.
        options.logger.warn(
          `Could not count the running quarantines of ${stringifyEntityRef(
            entity,
          )}: ${(error as Error).message}`,
        );
        return undefined;
      });
    return runningQuarantines === undefined
      ? loaded
      : { ...loaded, runningQuarantines };
  };

  api.get('/entities/:namespace/:kind/:name/applications', async (req, res) => {
    const { entity, credentials } = await getEntity(req, req.params);
    sendJson(res, await entityAnswer(entity, credentials));
  });

  api.get('/tenants', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(await options.tenantDirectory.list(credentials));
  });

  api.get('/events', async (req, res) => {
    let ref;
    try {
      // Present and at most 1000 characters: the document says so.
      ref = parseEntityRef(String(req.query.entityRef));
    } catch (error) {
      throw new InputError(`Invalid entityRef: ${(error as Error).message}`);
    }
    const { entity, credentials } = await getEntity(req, ref);
    // Validates the annotations before the stream opens, so a bad one is still a 400.
    const instances = new Set(entityApplications.instancesOf(entity));
    const entityRef = stringifyEntityRef(entity);
    openEventStream(req, res, {
      changes: streamChanges,
      load: () => entityAnswer(entity, credentials),
      heartbeatMs: options.options.eventsHeartbeatMs,
      stream: { entity, entityRef, instances },
      subscribeEntityChanges: listener =>
        options.quarantines.subscribe(listener),
    });
  });

  registerDoraRoutes(api, {
    httpAuth,
    dora: options.dora,
    getEntity,
  });

  registerQuarantineRoutes(api, {
    httpAuth,
    auditor: options.auditor,
    quarantines: options.quarantines,
    getEntity,
  });

  const gate = new ApplicationGate({
    router: api,
    httpAuth,
    auditor: options.auditor,
    access,
    reads: options.reads,
  });
  registerApplicationRoutes(gate, options);
  registerGitOperationsRoutes(gate, {
    access,
    gitOperations: options.gitOperations,
    syncWindows: options.details.syncWindows,
    quarantine: options.quarantine,
  });
  registerRolloutRoutes(gate, { store: options.rollouts });
  registerArgoRolloutRoutes(gate);
  registerLogRoutes(gate);
  registerApplicationSetRoutes(gate);
  registerAutoSyncRoutes(gate, options);
  gate.assertComplete();

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
