import type {
  AuditorService,
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type {
  LiftQuarantineRequest,
  QuarantineRequest,
} from '@kupe/plugin-gitops-common';
import type { Request } from 'express';
import type { QuarantineService } from '../quarantine/QuarantineService';
import { audited } from './applicationTarget';
import type { createGitOpsApiRouter } from './openApiRouter';

type ApiRouter = Awaited<ReturnType<typeof createGitOpsApiRouter>>['api'];

// The OpenAPI validator has checked the query against the document.
const includeLifted = (req: Request) =>
  String(req.query.includeLifted) === 'true';

/**
 * Quarantined releases: `GET`/`POST /entities/:namespace/:kind/:name/quarantines`,
 * `POST .../quarantines/:id/lift` and `GET /tenants/:tenant/quarantines`. The entity is read
 * with the caller's credentials like `/applications`; adding and lifting are audited (who,
 * which entity, version, reason and outcome; never a token).
 */
export function registerQuarantineRoutes(
  api: ApiRouter,
  options: {
    httpAuth: HttpAuthService;
    auditor: AuditorService;
    quarantines: QuarantineService;
    getEntity(
      req: Request,
      ref: { kind: string; namespace: string; name: string },
    ): Promise<{ entity: Entity; credentials: BackstageCredentials }>;
  },
): void {
  const { quarantines, auditor } = options;
  const userOf = (credentials: BackstageCredentials) =>
    (credentials as BackstageCredentials<BackstageUserPrincipal>).principal
      .userEntityRef;

  api.get('/entities/:namespace/:kind/:name/quarantines', async (req, res) => {
    const { entity, credentials } = await options.getEntity(req, req.params);
    res.json({
      items: await quarantines.listForEntity(entity, credentials, {
        includeLifted: includeLifted(req),
      }),
    });
  });

  api.post('/entities/:namespace/:kind/:name/quarantines', async (req, res) => {
    const body = req.body as QuarantineRequest;
    const event = {
      eventId: 'release-quarantine',
      severityLevel: 'high' as const,
      meta: {
        entityRef: stringifyEntityRef(req.params),
        version: body.version,
        reason: body.reason,
      },
    };
    const quarantine = await audited(
      auditor,
      req,
      event,
      async () => {
        const { entity, credentials } = await options.getEntity(
          req,
          req.params,
        );
        return quarantines.add(entity, credentials, {
          version: body.version,
          reason: body.reason,
          requestedBy: userOf(credentials),
        });
      },
      result => ({
        quarantineId: result.id,
        tenant: result.tenant,
        runningIn: result.runningIn.map(a => a.name).join(','),
      }),
    );
    res.json(quarantine);
  });

  api.post(
    '/entities/:namespace/:kind/:name/quarantines/:id/lift',
    async (req, res) => {
      const body = req.body as LiftQuarantineRequest;
      const event = {
        eventId: 'release-quarantine-lift',
        severityLevel: 'high' as const,
        meta: {
          entityRef: stringifyEntityRef(req.params),
          quarantineId: req.params.id,
          reason: body.reason,
        },
      };
      const quarantine = await audited(
        auditor,
        req,
        event,
        async () => {
          const { entity, credentials } = await options.getEntity(
            req,
            req.params,
          );
          return quarantines.lift(entity, credentials, req.params.id, {
            reason: body.reason,
            requestedBy: userOf(credentials),
          });
        },
        result => ({ version: result.version, tenant: result.tenant }),
      );
      res.json(quarantine);
    },
  );

  // The search collator's: every tenant's, so services only (a user's token is refused).
  api.get('/quarantines/running', async (req, res) => {
    await options.httpAuth.credentials(req, { allow: ['service'] });
    res.json({ items: await quarantines.listRunning() });
  });

  api.get('/tenants/:tenant/quarantines', async (req, res) => {
    const credentials = await options.httpAuth.credentials(req, {
      allow: ['user'],
    });
    res.json({
      items: await quarantines.listForTenant(req.params.tenant, credentials, {
        includeLifted: includeLifted(req),
      }),
    });
  });
}
