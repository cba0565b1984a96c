import { ConflictError } from '@backstage/errors';
import type {
  ActionResponse,
  PauseAutoSyncRequestBody,
} from '@kupe/plugin-gitops-common';
import {
  type Application,
  type ArgoCdService,
  autoSyncPausePatch,
  autoSyncResumePatch,
  findPolicyOwner,
  isAutoSyncPaused,
  readAutoSyncPauseRecord,
} from '@kupe/plugin-gitops-node';
import type { Request } from 'express';
import type { VisibleApplication } from '../service/ApplicationAccess';
import { toApplicationSummary } from '../service/toApplicationSummary';
import type { ApplicationGate } from './applicationGate';

// The OpenAPI validator has checked the body against the document before the gate runs.
const pauseBody = (req: Request) => req.body as PauseAutoSyncRequestBody;

/**
 * Refuses a change the app's owner would revert: an ApplicationSet regenerates its apps'
 * specs from its template, and a parent app (app of apps) syncs its children's specs from
 * Git, so auto-sync would come back on by itself. The policy has to change in Git there.
 */
function refuseWhereGitOwnsThePolicy(app: Application, verb: string): void {
  const owner = findPolicyOwner(app);
  if (!owner) return;
  const name = app.metadata.name;
  throw new ConflictError(
    owner.kind === 'ApplicationSet'
      ? `Cannot ${verb} auto-sync of ${name} here: the ApplicationSet ${owner.name} generates it and would turn auto-sync back on. Change the sync policy in the ApplicationSet's template in Git.`
      : `Cannot ${verb} auto-sync of ${name} here: its parent application ${owner.name} deploys it from Git and would turn auto-sync back on at its next sync. Change ${name}'s sync policy in Git, where ${owner.name} reads it.`,
  );
}

/** Seconds are enough for "2 h ago", and match what Kubernetes writes. */
const timestamp = (now: Date) => `${now.toISOString().slice(0, 19)}Z`;

/**
 * `POST .../auto-sync/pause` (with a reason) and `.../auto-sync/resume`, behind the
 * {@link ApplicationGate} with `gitops.application.automation`. Both read the Application
 * from Argo CD first (the index may lag a change made in Argo CD, and keeps no owner
 * references), then send one merge patch, so the policy change and the pause record on the
 * Application are one write.
 */
export function registerAutoSyncRoutes(
  gate: ApplicationGate,
  options: { argoCd: ArgoCdService; now?: () => Date },
): void {
  const { argoCd } = options;
  const now = options.now ?? (() => new Date());
  const summaryOf = (visible: VisibleApplication, app: Application) =>
    toApplicationSummary(
      visible.index.upsert(app) ?? visible.app,
      visible.index.freshness(),
      argoCd.listInstances().find(i => i.name === visible.index.instance)
        ?.uiUrl,
    );
  const current = (visible: VisibleApplication) =>
    visible.client.getApplication(visible.app.name, visible.scope);

  gate.post('/instances/{instance}/applications/{name}/auto-sync/pause', {
    audit: {
      eventId: 'application-auto-sync-pause',
      meta: req => ({ reason: pauseBody(req).reason.trim() }),
    },
    handle: async ({ req, credentials, visible }): Promise<ActionResponse> => {
      const app = await current(visible);
      refuseWhereGitOwnsThePolicy(app, 'pause');
      if (!app.spec.syncPolicy?.automated) {
        throw new ConflictError(
          `${visible.app.name} has no automated sync policy: Argo CD does not sync it by itself, so there is nothing to pause.`,
        );
      }
      if (isAutoSyncPaused(app)) {
        const record = readAutoSyncPauseRecord(app.metadata.annotations);
        throw new ConflictError(
          record
            ? `Auto-sync of ${visible.app.name} is already paused, by ${record.by} at ${record.at}: ${record.reason}`
            : `Auto-sync of ${visible.app.name} is already off (switched off in Argo CD).`,
        );
      }
      const patched = await visible.client.patchApplication(
        visible.app.name,
        autoSyncPausePatch({
          by: credentials.principal.userEntityRef,
          at: timestamp(now()),
          reason: pauseBody(req).reason.trim(),
        }),
        visible.scope,
      );
      return { summary: summaryOf(visible, patched) };
    },
  });

  gate.post('/instances/{instance}/applications/{name}/auto-sync/resume', {
    audit: { eventId: 'application-auto-sync-resume' },
    handle: async ({ visible }): Promise<ActionResponse> => {
      const app = await current(visible);
      refuseWhereGitOwnsThePolicy(app, 'resume');
      if (!isAutoSyncPaused(app)) {
        throw new ConflictError(
          `Auto-sync of ${visible.app.name} is not paused.`,
        );
      }
      const patched = await visible.client.patchApplication(
        visible.app.name,
        autoSyncResumePatch(),
        visible.scope,
      );
      return { summary: summaryOf(visible, patched) };
    },
  });
}
