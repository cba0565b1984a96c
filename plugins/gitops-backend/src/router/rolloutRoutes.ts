import type { HttpAuthService } from '@backstage/backend-plugin-api';
import type { RolloutsResponse } from '@kupe/plugin-gitops-common';
import Router from 'express-promise-router';
import type express from 'express';
import type { ApplicationAccess } from '../service/ApplicationAccess';
import {
  type RolloutStore,
  toRolloutRecord,
} from '../rolloutValidation/RolloutStore';
import { appParams, appQuery, parseInput } from './requestSchemas';

/**
 * `GET /instances/:instance/applications/:name/rollouts[?appNamespace=]`: the app's followed
 * rollouts with their validation, newest first. Same gate as the detail view: an app the
 * caller may not see is a 404, like one that does not exist.
 */
export function createRolloutRoutes(options: {
  httpAuth: HttpAuthService;
  access: ApplicationAccess;
  store: RolloutStore;
}): express.Router {
  const router = Router();
  router.get(
    '/instances/:instance/applications/:name/rollouts',
    async (req, res) => {
      const params = parseInput(appParams, req.params, 'path');
      const query = parseInput(appQuery, req.query, 'query');
      const credentials = await options.httpAuth.credentials(req, {
        allow: ['user'],
      });
      // Validates the names and applies tenant isolation and the read permission.
      const { app } = await options.access.requireApplication(credentials, {
        instance: params.instance,
        name: params.name,
        appNamespace: query.appNamespace,
      });
      const stored = await options.store.list(app);
      const body: RolloutsResponse = { items: stored.map(toRolloutRecord) };
      res.json(body);
    },
  );
  return router;
}
