import type {
  AuditorService,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import {
  type PromoteResponse,
  type PromotionPreview,
  type RevertPlan,
  type RevertResponse,
  gitopsApplicationPromotePermission,
  gitopsApplicationRollbackPermission,
  requireDns1123Label,
  requireDns1123Subdomain,
} from '@kupe/plugin-gitops-common';
import express, { type Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { GitOperations } from '../gitOperations/GitOperations';
import type { ApplicationAccess } from '../service/ApplicationAccess';
import { appParams, appQuery, parseInput } from './requestSchemas';

// A commit SHA only: nothing that git could read as an option, a range or a ref name.
const SHA = z
  .string()
  .regex(/^[0-9a-fA-F]{7,40}$/, 'must be a commit SHA (7 to 40 hex digits)')
  .transform(s => s.toLowerCase());

const revertPlanQuery = appQuery.extend({ toRevision: SHA }).strict();
const revertBody = z
  .object({ toRevision: SHA, directCommit: z.boolean().optional() })
  .strict();
const promoteBody = z.object({}).strict();

export interface GitOperationsRoutesOptions {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  access: ApplicationAccess;
  gitOperations: GitOperations;
}

/**
 * Rollback by revert and promotion: `GET .../promotion`, `POST .../promote`,
 * `GET .../revert-plan`, `POST .../revert` under `/instances/:instance/applications/:name`.
 * Tenant visibility and permissions come from {@link ApplicationAccess} before any Git access;
 * mutations are audited with who, which app, what and the outcome (never a credential).
 */
export function createGitOperationsRouter(
  options: GitOperationsRoutesOptions,
): express.Router {
  const { httpAuth, auditor, access, gitOperations } = options;
  const router = Router();
  router.use(express.json({ limit: '16kb' }));

  const appTarget = (req: Request) => {
    const params = parseInput(appParams, req.params, 'path');
    const query = parseInput(appQuery.passthrough(), req.query, 'query');
    return {
      instance: requireDns1123Label('instance', params.instance),
      name: requireDns1123Subdomain('application name', params.name),
      appNamespace:
        query.appNamespace === undefined
          ? undefined
          : requireDns1123Label('appNamespace', query.appNamespace),
    };
  };

  const audited = async <T>(
    req: Request,
    eventId: string,
    meta: Record<string, string | boolean | undefined>,
    fn: () => Promise<T>,
    outcome: (result: T) => Record<string, string | number | undefined>,
  ): Promise<T> => {
    const clean = (m: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(m).filter(([, v]) => v !== undefined),
      ) as Record<string, string | number | boolean>;
    const event = await auditor.createEvent({
      eventId,
      severityLevel: 'high',
      request: req,
      meta: clean(meta),
    });
    try {
      const result = await fn();
      await event.success({ meta: clean(outcome(result)) });
      return result;
    } catch (error) {
      await event.fail({
        error: isError(error) ? error : new Error(String(error)),
      });
      throw error;
    }
  };

  router.get(
    '/instances/:instance/applications/:name/promotion',
    async (req, res) => {
      const target = appTarget(req);
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const visible = await access.requireApplication(credentials, target);
      const preview: PromotionPreview = await gitOperations.promotionPreview(
        visible,
        credentials,
      );
      res.json(preview);
    },
  );

  router.post(
    '/instances/:instance/applications/:name/promote',
    async (req, res) => {
      const target = appTarget(req);
      parseInput(promoteBody, req.body, 'body');
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const response: PromoteResponse = await audited(
        req,
        'application-promote',
        target,
        async () => {
          const visible = await access.requireApplication(
            credentials,
            target,
            gitopsApplicationPromotePermission,
          );
          return gitOperations.promote(visible, credentials, {
            userEntityRef: credentials.principal.userEntityRef,
          });
        },
        result => ({
          toEnvironment: result.environment,
          toApplication: result.application.name,
          pullRequestUrl: result.pullRequestUrl,
          branch: result.branch,
          changedFiles: result.changedFiles.length,
        }),
      );
      res.json(response);
    },
  );

  router.get(
    '/instances/:instance/applications/:name/revert-plan',
    async (req, res) => {
      const target = appTarget(req);
      const { toRevision } = parseInput(revertPlanQuery, req.query, 'query');
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const visible = await access.requireApplication(credentials, target);
      const plan: RevertPlan = await gitOperations.revertPlan(
        visible,
        toRevision,
      );
      res.json(plan);
    },
  );

  router.post(
    '/instances/:instance/applications/:name/revert',
    async (req, res) => {
      const target = appTarget(req);
      const body = parseInput(revertBody, req.body, 'body');
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const response: RevertResponse = await audited(
        req,
        'application-revert',
        {
          ...target,
          toRevision: body.toRevision,
          directCommit: body.directCommit ?? false,
        },
        async () => {
          const visible = await access.requireApplication(
            credentials,
            target,
            gitopsApplicationRollbackPermission,
          );
          return gitOperations.revert(visible, body, {
            userEntityRef: credentials.principal.userEntityRef,
          });
        },
        result => ({
          delivery: result.delivery,
          pullRequestUrl: result.pullRequestUrl,
          branch: result.branch,
          commitSha: result.commitSha,
          revertedCommits: result.revertedCommits.join(','),
        }),
      );
      res.json(response);
    },
  );

  return router;
}
