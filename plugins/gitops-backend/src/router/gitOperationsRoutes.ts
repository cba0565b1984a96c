import type {
  AuditorService,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import {
  type PromoteResponse,
  type PromotionPreview,
  type RevertPlan,
  type RevertResponse,
  gitOpsApplicationPromotePermission,
  gitOpsApplicationRollbackPermission,
} from '@kupe/plugin-gitops-common';
import express from 'express';
import Router from 'express-promise-router';
import { jsonBody } from './jsonBody';
import { z } from 'zod';
import type { GitOperations } from '../gitOperations/GitOperations';
import type { ApplicationAccess } from '../service/ApplicationAccess';
import type { SyncWindowReader } from '../service/SyncWindowReader';
import { applicationTarget, audited } from './applicationTarget';
import { appQuery, parseInput } from './requestSchemas';

// A commit SHA only: nothing that git could read as an option, a range or a ref name.
const SHA = z
  .string()
  .regex(/^[0-9a-fA-F]{7,40}$/, 'must be a commit SHA (7 to 40 hex digits)')
  .transform(s => s.toLowerCase());

const revertPlanQuery = appQuery.extend({ toRevision: SHA }).strict();
const revertBody = z
  .object({ toRevision: SHA, directCommit: z.boolean().optional() })
  .strict();
const promoteBody = z
  .object({ allowDowngrade: z.boolean().optional() })
  .strict();

export interface GitOperationsRoutesOptions {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  access: ApplicationAccess;
  gitOperations: GitOperations;
  /** Tells a promotion preview whether the next environment may sync now. */
  syncWindows: SyncWindowReader;
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
  const { httpAuth, auditor, access, gitOperations, syncWindows } = options;
  const router = Router();
  router.use(jsonBody('16kb'));

  router.get(
    '/instances/:instance/applications/:name/promotion',
    async (req, res) => {
      const target = applicationTarget(req, { otherQuery: true });
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const visible = await access.requireApplication(credentials, target);
      const preview: PromotionPreview = await gitOperations.promotionPreview(
        visible,
        credentials,
      );
      if (preview.next) {
        // A merged promotion deploys only when the next environment's windows allow a sync.
        const next = await access.requireApplication(
          credentials,
          preview.next.application,
        );
        preview.next.syncWindows = await syncWindows.read(next);
      }
      res.json(preview);
    },
  );

  router.post(
    '/instances/:instance/applications/:name/promote',
    async (req, res) => {
      const target = applicationTarget(req, { otherQuery: true });
      const body = parseInput(promoteBody, req.body, 'body');
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const response: PromoteResponse = await audited(
        auditor,
        req,
        'application-promote',
        'high',
        target,
        async () => {
          const visible = await access.requireApplication(
            credentials,
            target,
            gitOpsApplicationPromotePermission,
          );
          return gitOperations.promote(
            visible,
            credentials,
            { userEntityRef: credentials.principal.userEntityRef },
            { allowDowngrade: body.allowDowngrade },
          );
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
      const target = applicationTarget(req, { otherQuery: true });
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
      const target = applicationTarget(req, { otherQuery: true });
      const body = parseInput(revertBody, req.body, 'body');
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const response: RevertResponse = await audited(
        auditor,
        req,
        'application-revert',
        'high',
        {
          ...target,
          toRevision: body.toRevision,
          directCommit: body.directCommit ?? false,
        },
        async () => {
          const visible = await access.requireApplication(
            credentials,
            target,
            gitOpsApplicationRollbackPermission,
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
