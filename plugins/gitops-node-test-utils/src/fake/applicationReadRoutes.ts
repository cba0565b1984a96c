// Application reads: list, get, resource tree, managed resources, revision and chart metadata, events, resource actions.
import { ArgoCdApiError, GrpcCode, jsonResponse } from './errors';
import { parseFields, projectApplication } from './listFields';
import { CONTROL_PLANE_NAMESPACE } from './rbac';
import {
  ResourceRoutes,
  resourceQueryOf,
  runRequestOfBody,
} from './resourceRoutes';
import { chartSourceOf } from './chartSource';
import { resourceEventList } from './resourceEvents';
import { type RouteContext, SHA, keyOf, type FakeServer } from './fakeServer';

export function listApplicationsRoute(
  s: FakeServer,
  ctx: RouteContext,
): Response {
  const claims = s.claims(ctx);
  const filter = s.listFilter(ctx.url, claims);
  const items = s.fake.listApplications().filter(filter);
  const metadata = { resourceVersion: String(s.resourceVersion) };
  const fields = parseFields(ctx.url.searchParams.get('fields'));
  if (!fields) return jsonResponse({ metadata, items });
  // Go's nil slice: with `fields` and no match the list is `null`, not `[]`.
  const projected = items.length
    ? items.map(app => projectApplication(app, fields))
    : null;
  return jsonResponse({ metadata, items: projected });
}

export async function getApplicationRoute(
  s: FakeServer,
  ctx: RouteContext,
): Promise<Response> {
  const claims = s.claims(ctx);
  const query = s.appQuery(ctx.url);
  const app = s.lookupApp(claims, ctx.params[0], query);
  const refresh = ctx.url.searchParams.get('refresh');
  if (!refresh) return jsonResponse(app);
  const key = {
    name: ctx.params[0],
    namespace: app.metadata.namespace ?? CONTROL_PLANE_NAMESPACE,
  };
  s.fake.updateApplication(key, a => {
    a.metadata.annotations = {
      ...a.metadata.annotations,
      'argocd.argoproj.io/refresh': refresh === 'hard' ? 'hard' : 'normal',
    };
  });
  await s.fake.controller.refresh(key, refresh === 'hard');
  const refreshed = s.fake.updateApplication(key, a => {
    delete a.metadata.annotations?.['argocd.argoproj.io/refresh'];
  });
  return jsonResponse(refreshed ?? app);
}

export function resourceTreeRoute(s: FakeServer, ctx: RouteContext): Response {
  const app = s.lookupApp(s.claims(ctx), ctx.params[0], s.appQuery(ctx.url));
  const tree = s.fake.controller.resourceTree(app);
  const q = ctx.url.searchParams;
  const filters = ['namespace', 'name', 'version', 'group', 'kind'] as const;
  if (filters.some(f => q.get(f))) {
    tree.nodes = tree.nodes?.filter(n =>
      filters.every(f => !q.get(f) || n[f] === q.get(f)),
    );
  }
  return jsonResponse(tree);
}

/** See {@link ResourceRoutes}; claims are read per request, like every other route. */
export function resourceRoutes(
  s: FakeServer,
  ctx: RouteContext,
): ResourceRoutes {
  return new ResourceRoutes({
    controller: s.fake.controller,
    lookupApp: (query, action) =>
      s.lookupApp(s.claims(ctx), query.name, query, action),
    recordEvent: (app, reason, message) =>
      s.fake.recordEvent(s.keyOfApp(app), { reason, message }),
    now: () => s.now(),
  });
}

export async function runResourceActionV1Route(
  s: FakeServer,
  ctx: RouteContext,
): Promise<Response> {
  // The deprecated v1 body is the action name as a JSON string.
  let action: unknown;
  try {
    action = JSON.parse(await ctx.request.text());
  } catch (e) {
    throw new ArgoCdApiError(
      GrpcCode.InvalidArgument,
      `invalid request body: ${String(e)}`,
    );
  }
  return resourceRoutes(s, ctx).runAction(
    resourceQueryOf(ctx.params[0], ctx.url),
    typeof action === 'string' ? action : '',
  );
}

export async function runResourceActionV2Route(
  s: FakeServer,
  ctx: RouteContext,
): Promise<Response> {
  const body = await s.body<Record<string, unknown>>(ctx.request);
  const { query, action } = runRequestOfBody(ctx.params[0], body);
  return resourceRoutes(s, ctx).runAction(query, action);
}

export function managedResourcesRoute(
  s: FakeServer,
  ctx: RouteContext,
): Response {
  const app = s.lookupApp(s.claims(ctx), ctx.params[0], s.appQuery(ctx.url));
  const response = s.fake.controller.managedResources(app);
  return jsonResponse(response.items?.length ? response : {});
}

export async function revisionMetadataRoute(
  s: FakeServer,
  ctx: RouteContext,
): Promise<Response> {
  const [name, revision] = ctx.params;
  const app = s.lookupApp(s.claims(ctx), name, s.appQuery(ctx.url));
  if (!SHA.test(revision)) {
    throw new ArgoCdApiError(
      GrpcCode.Unknown,
      `revision ${revision} must be resolved`,
    );
  }
  const metadata = await s.fake.controller.revisionMetadata(app, revision);
  if (!metadata) {
    throw new ArgoCdApiError(
      GrpcCode.Unknown,
      `failed to get revision metadata: unable to resolve '${revision}' to a commit SHA`,
    );
  }
  return jsonResponse(metadata);
}

export async function chartDetailsRoute(
  s: FakeServer,
  ctx: RouteContext,
): Promise<Response> {
  const [name, revision] = ctx.params;
  const app = s.lookupApp(s.claims(ctx), name, s.appQuery(ctx.url));
  const source = chartSourceOf(app, ctx.url.searchParams);
  const details = await s.fake.controller.chartDetails(source, revision);
  if (!details) {
    throw new ArgoCdApiError(
      GrpcCode.Unknown,
      `error extracting chart: failed to get chart ${source.chart} version ${revision} from ${source.repoURL}: not found`,
    );
  }
  return jsonResponse(details);
}

export function listEventsRoute(s: FakeServer, ctx: RouteContext): Response {
  const app = s.lookupApp(s.claims(ctx), ctx.params[0], s.appQuery(ctx.url));
  const q = ctx.url.searchParams;
  if (q.get('resourceName') || q.get('resourceUID')) {
    return jsonResponse(
      resourceEventList(
        ctx.params[0],
        s.fake.controller.resourceTree(app),
        q,
        s.now().getTime(),
        s.fake.controller.managedResources(app),
      ),
    );
  }
  const items =
    s.events.get(
      keyOf(app.metadata.namespace ?? CONTROL_PLANE_NAMESPACE, ctx.params[0]),
    ) ?? [];
  return jsonResponse({
    metadata: { resourceVersion: String(s.resourceVersion) },
    items,
  });
}
