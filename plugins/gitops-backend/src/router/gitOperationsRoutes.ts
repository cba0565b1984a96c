import { InputError } from '@backstage/errors';
import type {
  PromoteRequest,
  PromoteResponse,
  PromotionPreview,
  RevertPlan,
  RevertRequest,
  RevertResponse,
} from '@kupe/plugin-gitops-common';
import type { Request } from 'express';
import type { GitOperations } from '../gitOperations/GitOperations';
import type { QuarantineChecks } from '../quarantine/QuarantineChecks';
import type { ApplicationAccess } from '../service/ApplicationAccess';
import type { SyncWindowReader } from '../service/SyncWindowReader';
import type { ApplicationGate } from './applicationGate';

/**
 * A commit SHA only: nothing git could read as an option, a range or a ref name. The body's
 * `toRevision` has the same pattern in the document; the query's is checked here alone so its
 * 400 says what a valid one is.
 */
function commitSha(where: 'query' | 'body', value: string): string {
  if (!/^[0-9a-fA-F]{7,40}$/.test(value))
    throw new InputError(
      `Invalid ${where}: toRevision: must be a commit SHA (7 to 40 hex digits)`,
    );
  return value.toLowerCase();
}

// The OpenAPI validator has checked every body and query against the document.
const revertBody = (req: Request): RevertRequest => {
  const body = req.body as RevertRequest;
  return { ...body, toRevision: commitSha('body', body.toRevision) };
};
const promoteBody = (req: Request) => req.body as PromoteRequest;

/**
 * Rollback by revert and promotion: `GET .../promotion`, `POST .../promote`,
 * `GET .../revert-plan`, `POST .../revert` under `/instances/:instance/applications/:name`,
 * behind the {@link ApplicationGate}: tenant visibility and permissions before any Git access;
 * mutations audited with who, which app, what and the outcome (never a credential).
 */
export function registerGitOperationsRoutes(
  gate: ApplicationGate,
  options: {
    access: ApplicationAccess;
    gitOperations: GitOperations;
    /** Tells a promotion preview whether the next environment may sync now. */
    syncWindows: SyncWindowReader;
    /** Refuses promotions and reverts that would deploy a quarantined version. */
    quarantine: QuarantineChecks;
  },
): void {
  const { access, gitOperations, syncWindows, quarantine } = options;

  gate.get('/instances/{instance}/applications/{name}/promotion', {
    audit: { eventId: 'application-promotion-read' },
    handle: async ({ credentials, visible }): Promise<PromotionPreview> => {
      const preview = await gitOperations.promotionPreview(
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
        const refusal = await quarantine.promotionRefusal(
          visible,
          preview.version,
        );
        if (refusal) {
          preview.promotable = false;
          preview.reason = refusal;
        }
      }
      return preview;
    },
  });

  gate.post<PromoteResponse>(
    '/instances/{instance}/applications/{name}/promote',
    {
      audit: {
        eventId: 'application-promote',
        severityLevel: () => 'high',
        outcome: result => ({
          toEnvironment: result.environment,
          toApplication: result.application.name,
          pullRequestUrl: result.pullRequestUrl,
          branch: result.branch,
          changedFiles: result.changedFiles.length,
        }),
      },
      handle: async ({
        req,
        credentials,
        visible,
      }): Promise<PromoteResponse> => {
        await quarantine.refusePromotion(visible, () =>
          gitOperations.promotionPreview(visible, credentials),
        );
        return gitOperations.promote(
          visible,
          credentials,
          { userEntityRef: credentials.principal.userEntityRef },
          { allowDowngrade: promoteBody(req).allowDowngrade },
        );
      },
    },
  );

  gate.get('/instances/{instance}/applications/{name}/revert-plan', {
    audit: { eventId: 'application-revert-plan-read' },
    handle: async ({ req, visible }): Promise<RevertPlan> => {
      const toRevision = commitSha('query', String(req.query.toRevision));
      await quarantine.refuseRevert(visible, toRevision);
      return gitOperations.revertPlan(visible, toRevision);
    },
  });

  gate.post<RevertResponse>(
    '/instances/{instance}/applications/{name}/revert',
    {
      audit: {
        eventId: 'application-revert',
        severityLevel: () => 'high',
        meta: req => {
          const body = req.body as RevertRequest;
          return {
            toRevision: body.toRevision.toLowerCase(),
            directCommit: body.directCommit ?? false,
          };
        },
        outcome: result => ({
          delivery: result.delivery,
          pullRequestUrl: result.pullRequestUrl,
          branch: result.branch,
          commitSha: result.commitSha,
          revertedCommits: result.revertedCommits.join(','),
        }),
      },
      handle: async ({
        req,
        credentials,
        visible,
      }): Promise<RevertResponse> => {
        const body = revertBody(req);
        await quarantine.refuseRevert(visible, body.toRevision);
        return gitOperations.revert(visible, body, {
          userEntityRef: credentials.principal.userEntityRef,
        });
      },
    },
  );
}
