import type {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { Request } from 'express';
import type { DoraService } from '../dora/DoraService';
import { type DoraPeriodQuery, parseDoraPeriod } from '../dora/doraPeriod';
import type { createGitOpsApiRouter } from './openApiRouter';

type ApiRouter = Awaited<ReturnType<typeof createGitOpsApiRouter>>['api'];

const periodOf = (req: Request) =>
  parseDoraPeriod(req.query as DoraPeriodQuery, Date.now());

/**
 * `GET /entities/:namespace/:kind/:name/dora` and `GET /tenants/:tenant/dora`: DORA figures
 * over `?days=` (default 30) or `?from=&to=`, at most a year. The entity is read with the
 * caller's credentials like `/applications`; the tenant route answers 404 outside the
 * caller's tenants.
 */
export function registerDoraRoutes(
  api: ApiRouter,
  options: {
    httpAuth: HttpAuthService;
    dora: DoraService;
    getEntity(
      req: Request,
      ref: { kind: string; namespace: string; name: string },
    ): Promise<{ entity: Entity; credentials: BackstageCredentials }>;
  },
): void {
  api.get('/entities/:namespace/:kind/:name/dora', async (req, res) => {
    // The period first: a bad one is a 400 without a catalog read.
    const period = periodOf(req);
    const { entity, credentials } = await options.getEntity(req, req.params);
    res.json(await options.dora.forEntity(entity, credentials, period));
  });

  api.get('/tenants/:tenant/dora', async (req, res) => {
    const period = periodOf(req);
    const credentials = await options.httpAuth.credentials(req, {
      allow: ['user'],
    });
    res.json(
      await options.dora.forTenant(req.params.tenant, credentials, period),
    );
  });
}
