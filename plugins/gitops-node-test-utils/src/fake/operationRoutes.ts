// Operations on an Application: sync, rollback, terminate, the merge/JSON patch, and the sync windows they check.
import { isAutoSync } from '@kupe/plugin-gitops-common';
import type {
  Application,
  ApplicationRollbackRequest,
  ApplicationSyncRequest,
  Operation,
  SyncWindow,
} from '@kupe/plugin-gitops-node';
import { ArgoCdApiError, GrpcCode, jsonResponse } from './errors';
import {
  type ApplicationPatchRequest,
  patchApplicationObject,
} from './applicationPatch';
import { appRbacObject } from './rbac';
import {
  canSyncNow,
  isSyncWindowActive,
  matchSyncWindows,
} from '@kupe/plugin-gitops-node';
import { type FakeTokenClaims } from './tokens';
import {
  type RouteContext,
  keyOf,
  sameJson,
  nonEmpty,
  usernameOf,
  type FakeServer,
} from './fakeServer';
import { validateSpec } from './applicationWriteRoutes';

/**
 * The app a sync or rollback acts on, with the checks both share in Argo CD's order: lookup,
 * `applications, sync` RBAC, then not being deleted.
 */
export function appToOperate(
  s: FakeServer,
  claims: FakeTokenClaims,
  name: string,
  body: { project?: string; appNamespace?: string },
  options: { syncWindows?: boolean } = {},
): Application {
  const app = s.lookupApp(claims, name, {
    project: body.project || undefined,
    appNamespace: body.appNamespace || undefined,
  });
  // Sync (not rollback) checks the windows second, before `applications, sync`, and always
  // as a manual sync: so a window refuses even callers who may not sync at all.
  if (options.syncWindows) {
    let canSync: boolean;
    try {
      canSync = canSyncNow(windowsOf(s, app), {
        manual: true,
        now: s.now(),
      });
    } catch (error) {
      throw new ArgoCdApiError(
        GrpcCode.PermissionDenied,
        `cannot sync: invalid sync window: invalid sync windows: ${
          (error as Error).message
        }`,
      );
    }
    if (!canSync) {
      throw new ArgoCdApiError(
        GrpcCode.PermissionDenied,
        'cannot sync: blocked by sync window',
      );
    }
  }
  s.enforceDetailed(claims, 'applications', 'sync', s.rbacObjectOf(app));
  if (app.metadata.deletionTimestamp) {
    throw new ArgoCdApiError(
      GrpcCode.FailedPrecondition,
      'application is deleting',
    );
  }
  return app;
}

export function startOperation(
  s: FakeServer,
  app: Application,
  operation: Operation,
): Application {
  const key = s.keyOfApp(app);
  const updated = s.fake.updateApplication(key, a => {
    a.operation = operation;
    if (a.status) delete a.status.operationState;
  });
  s.fake.controller.operationRequested(key);
  return updated ?? app;
}

/** The project's windows that apply to the app (`SyncWindows.Matches`). */
export function windowsOf(s: FakeServer, app: Application): SyncWindow[] {
  const project = s.projects.get(app.spec.project);
  return matchSyncWindows(project?.spec.syncWindows, app);
}

export function syncWindowsRoute(s: FakeServer, ctx: RouteContext): Response {
  const app = s.lookupApp(s.claims(ctx), ctx.params[0], s.appQuery(ctx.url));
  const assigned = windowsOf(s, app);
  const now = s.now();
  let canSync: boolean;
  let active: SyncWindow[];
  try {
    canSync = canSyncNow(assigned, { manual: true, now });
    active = assigned.filter(w => isSyncWindowActive(w, now));
  } catch (error) {
    // A plain Go error in the server: gRPC Unknown, HTTP 500.
    throw new ArgoCdApiError(
      GrpcCode.Unknown,
      `invalid sync windows: invalid sync windows: ${(error as Error).message}`,
    );
  }
  // `convertSyncWindows`: four fields, each always written; empty lists are omitted.
  const convert = (windows: SyncWindow[]) =>
    windows.length
      ? windows.map(w => ({
          kind: w.kind ?? '',
          schedule: w.schedule ?? '',
          duration: w.duration ?? '',
          manualSync: w.manualSync ?? false,
        }))
      : undefined;
  return jsonResponse({
    activeWindows: convert(active),
    assignedWindows: convert(assigned),
    canSync,
  });
}

export async function syncRoute(
  s: FakeServer,
  ctx: RouteContext,
): Promise<Response> {
  const claims = s.claims(ctx);
  const body = await s.body<ApplicationSyncRequest>(ctx.request);
  const app = appToOperate(s, claims, ctx.params[0], body, {
    syncWindows: true,
  });
  const target = await syncTarget(s, app, body);
  if (app.operation) {
    throw new ArgoCdApiError(
      GrpcCode.FailedPrecondition,
      'another operation is already in progress',
    );
  }
  const operation: Operation = {
    sync: {
      ...target,
      prune: body.prune || undefined,
      dryRun: body.dryRun || undefined,
      // A request's sync options replace the app's own; without them the app's apply.
      syncOptions: nonEmpty(
        body.syncOptions
          ? body.syncOptions.items
          : app.spec.syncPolicy?.syncOptions,
      ),
      syncStrategy: body.strategy,
      resources: body.resources?.length ? body.resources : undefined,
    },
    initiatedBy: { username: usernameOf(claims.sub) },
    info: body.infos?.length ? body.infos : undefined,
  };
  return jsonResponse(startOperation(s, app, operation));
}

/**
 * `resolveSourceRevisions`: the revision (one source) or revisions (every source, in order;
 * `sourcePositions` are 1-based) a sync request resolves to. Choosing another revision than
 * the spec's is refused while auto-sync is on.
 */
export async function syncTarget(
  s: FakeServer,
  app: Application,
  body: Partial<ApplicationSyncRequest>,
): Promise<{ revision: string } | { revisions: string[] }> {
  const auto = isAutoSync(app.spec.syncPolicy) && !body.dryRun;
  const sources = app.spec.sources;
  if (!sources?.length) {
    const targetRevision = app.spec.source?.targetRevision || 'HEAD';
    if (auto && body.revision && body.revision !== targetRevision) {
      throw new ArgoCdApiError(
        GrpcCode.FailedPrecondition,
        `Cannot sync to ${body.revision}: auto-sync currently set to ${targetRevision}`,
      );
    }
    return {
      revision: await s.fake.controller.resolveRevision(
        app,
        body.revision || targetRevision,
      ),
    };
  }
  const desired = new Array<string>(sources.length).fill('');
  (body.sourcePositions ?? []).forEach((pos, i) => {
    const position = Number(pos);
    if (!(position >= 1 && position <= sources.length)) {
      throw new ArgoCdApiError(
        GrpcCode.Unknown,
        'source position is out of range',
      );
    }
    desired[position - 1] = body.revisions?.[i] ?? '';
  });
  const revisions: string[] = [];
  for (const [i, source] of sources.entries()) {
    const targetRevision = source.targetRevision || 'HEAD';
    if (auto && desired[i] && desired[i] !== targetRevision) {
      throw new ArgoCdApiError(
        GrpcCode.FailedPrecondition,
        `Cannot sync source ${source.repoURL} to ${desired[i]}: auto-sync currently set to ${source.targetRevision}`,
      );
    }
    revisions.push(
      await s.fake.controller.resolveRevision(
        app,
        desired[i] || targetRevision,
        i,
      ),
    );
  }
  return { revisions };
}

export async function rollbackRoute(
  s: FakeServer,
  ctx: RouteContext,
): Promise<Response> {
  const claims = s.claims(ctx);
  const body = await s.body<ApplicationRollbackRequest>(ctx.request);
  const app = appToOperate(s, claims, ctx.params[0], body);
  if (isAutoSync(app.spec.syncPolicy)) {
    throw new ArgoCdApiError(
      GrpcCode.FailedPrecondition,
      'rollback cannot be initiated when auto-sync is enabled',
    );
  }
  const entry = app.status?.history?.find(h => h.id === Number(body.id));
  if (!entry) {
    throw new ArgoCdApiError(
      GrpcCode.InvalidArgument,
      `application ${app.metadata.namespace}/${app.metadata.name} does not have deployment with id ${body.id}`,
    );
  }
  if (app.operation) {
    throw new ArgoCdApiError(
      GrpcCode.FailedPrecondition,
      'another operation is already in progress',
    );
  }
  return jsonResponse(
    startOperation(s, app, {
      sync: {
        revision: entry.revision,
        source: entry.source,
        revisions: entry.revisions,
        sources: entry.sources,
        prune: body.prune || undefined,
        dryRun: body.dryRun || undefined,
        // Rollback is a sync with the app's own options, applied without hooks.
        syncOptions: nonEmpty(app.spec.syncPolicy?.syncOptions),
        syncStrategy: { apply: {} },
      },
      initiatedBy: { username: usernameOf(claims.sub) },
    }),
  );
}

/**
 * `Patch`: `get` on the app (with `project`, another project's app is a 404), then a
 * detailed 403 without `update`; the patch applied (fake/applicationPatch.ts) and the result
 * validated as an update (a project change also needs `create` in the new project). The
 * controller sees the new spec at once, so turning auto-sync off or on takes effect.
 */
export async function patchRoute(
  s: FakeServer,
  ctx: RouteContext,
): Promise<Response> {
  const claims = s.claims(ctx);
  const body = await s.body<ApplicationPatchRequest>(ctx.request);
  const query = {
    project: body.project || undefined,
    appNamespace: body.appNamespace || undefined,
  };
  const app = s.lookupApp(claims, ctx.params[0], query);
  const rbacObject = s.rbacObjectOf(app);
  s.enforceDetailed(claims, 'applications', 'update', rbacObject);
  const next = patchApplicationObject(app, body);
  const invalid = (error: unknown) =>
    error instanceof ArgoCdApiError
      ? new ArgoCdApiError(
          error.code,
          `error validating and normalizing app: ${error.message}`,
        )
      : error;
  const projectName = next.spec?.project ?? '';
  if (projectName !== app.spec.project) {
    s.enforceDetailed(
      claims,
      'applications',
      'create',
      appRbacObject(projectName, app.metadata.namespace!, app.metadata.name!),
    );
  }
  const project = s.projects.get(projectName);
  if (!project) {
    throw invalid(
      new ArgoCdApiError(
        GrpcCode.InvalidArgument,
        `app is not allowed in project "${projectName}", or the project does not exist`,
      ),
    );
  }
  try {
    validateSpec(s, app.metadata.name!, next.spec, project, true);
  } catch (error) {
    throw invalid(error);
  }
  const key = s.keyOfApp(app);
  s.fake.updateApplication(key, a => {
    a.spec = next.spec;
    a.metadata.labels = next.metadata?.labels ?? undefined;
    a.metadata.annotations = next.metadata?.annotations ?? undefined;
    a.metadata.finalizers = next.metadata?.finalizers ?? undefined;
    if (!sameJson(app.spec, next.spec))
      a.metadata.generation = (a.metadata.generation ?? 1) + 1;
  });
  s.fake.controller.applicationSpecChanged(key);
  return jsonResponse(s.apps.get(keyOf(key.namespace, key.name)));
}

export function terminateRoute(s: FakeServer, ctx: RouteContext): Response {
  const claims = s.claims(ctx);
  const app = s.lookupApp(claims, ctx.params[0], s.appQuery(ctx.url));
  s.enforceDetailed(claims, 'applications', 'sync', s.rbacObjectOf(app));
  const state = app.status?.operationState;
  if (!app.operation && state?.phase !== 'Running') {
    throw new ArgoCdApiError(
      GrpcCode.InvalidArgument,
      'Unable to terminate operation. No operation is in progress',
    );
  }
  const key = s.keyOfApp(app);
  s.fake.updateApplication(key, a => {
    a.status = a.status ?? {};
    a.status.operationState = {
      ...(a.status.operationState ?? {
        operation: a.operation ?? {},
        startedAt: s.fake.timestamp(),
      }),
      phase: 'Terminating',
    };
  });
  s.fake.controller.terminateRequested(key);
  return jsonResponse({});
}
