// The fake's routing table: Argo CD v3.5.1's REST paths and the route module answering each.
import { jsonResponse } from './errors';
import { resourceQueryOf } from './resourceRoutes';
import { podLogsResponse } from './podLogs';
import { type Route, VERSION, type FakeServer } from './fakeServer';
import {
  createSessionRoute,
  userInfoRoute,
  canIRoute,
  listProjectsRoute,
  getProjectRoute,
  listClustersRoute,
} from './sessionProjectRoutes';
import {
  listApplicationsRoute,
  getApplicationRoute,
  resourceTreeRoute,
  resourceRoutes,
  runResourceActionV1Route,
  runResourceActionV2Route,
  managedResourcesRoute,
  revisionMetadataRoute,
  chartDetailsRoute,
  listEventsRoute,
} from './applicationReadRoutes';
import {
  syncWindowsRoute,
  syncRoute,
  rollbackRoute,
  patchRoute,
  terminateRoute,
} from './operationRoutes';
import {
  createApplicationRoute,
  deleteApplicationRoute,
} from './applicationWriteRoutes';
import { watchRoute } from './watchRoute';

export function buildRoutes(s: FakeServer): Route[] {
  const seg = '([^/]+)';
  const route = (
    method: string,
    path: string,
    handler: Route['handler'],
    anonymous = false,
  ): Route => ({
    method,
    pattern: new RegExp(`^${path}/?$`),
    handler,
    anonymous,
  });
  return [
    route('POST', '/api/v1/session', ctx => createSessionRoute(s, ctx), true),
    route('DELETE', '/api/v1/session', () => jsonResponse({}), true),
    route('GET', '/api/v1/session/userinfo', ctx => userInfoRoute(ctx), true),
    route('GET', '/api/version', () => jsonResponse(VERSION), true),
    route('GET', `/api/v1/account/can-i/${seg}/${seg}/(.+)`, ctx =>
      canIRoute(s, ctx),
    ),
    route('GET', '/api/v1/applications', ctx => listApplicationsRoute(s, ctx)),
    route('POST', '/api/v1/applications', ctx =>
      createApplicationRoute(s, ctx),
    ),
    route('GET', `/api/v1/applications/${seg}`, ctx =>
      getApplicationRoute(s, ctx),
    ),
    route('DELETE', `/api/v1/applications/${seg}`, ctx =>
      deleteApplicationRoute(s, ctx),
    ),
    route('GET', `/api/v1/applications/${seg}/resource-tree`, ctx =>
      resourceTreeRoute(s, ctx),
    ),
    route('GET', `/api/v1/applications/${seg}/managed-resources`, ctx =>
      managedResourcesRoute(s, ctx),
    ),
    route('GET', `/api/v1/applications/${seg}/resource`, ctx =>
      resourceRoutes(s, ctx).getResource(
        resourceQueryOf(ctx.params[0], ctx.url),
      ),
    ),
    route('GET', `/api/v1/applications/${seg}/resource/actions`, ctx =>
      resourceRoutes(s, ctx).listActions(
        resourceQueryOf(ctx.params[0], ctx.url),
      ),
    ),
    route('POST', `/api/v1/applications/${seg}/resource/actions`, ctx =>
      runResourceActionV1Route(s, ctx),
    ),
    route('POST', `/api/v1/applications/${seg}/resource/actions/v2`, ctx =>
      runResourceActionV2Route(s, ctx),
    ),
    route('GET', `/api/v1/applications/${seg}/revisions/${seg}/metadata`, ctx =>
      revisionMetadataRoute(s, ctx),
    ),
    route(
      'GET',
      `/api/v1/applications/${seg}/revisions/${seg}/chartdetails`,
      ctx => chartDetailsRoute(s, ctx),
    ),
    route('GET', `/api/v1/applications/${seg}/events`, ctx =>
      listEventsRoute(s, ctx),
    ),
    route('GET', `/api/v1/applications/${seg}/logs`, ctx =>
      podLogsResponse({
        request: ctx.request,
        url: ctx.url,
        nowMs: () => s.now().getTime(),
        authorize: () => {
          const claims = s.claims(ctx);
          const app = s.lookupApp(claims, ctx.params[0], s.appQuery(ctx.url));
          s.enforceDetailed(claims, 'logs', 'get', s.rbacObjectOf(app));
          return {
            tree: s.fake.controller.resourceTree(app),
            managed: s.fake.controller.managedResources(app),
          };
        },
      }),
    ),
    route('GET', `/api/v1/applications/${seg}/syncwindows`, ctx =>
      syncWindowsRoute(s, ctx),
    ),
    route('POST', `/api/v1/applications/${seg}/sync`, ctx => syncRoute(s, ctx)),
    route('POST', `/api/v1/applications/${seg}/rollback`, ctx =>
      rollbackRoute(s, ctx),
    ),
    route('DELETE', `/api/v1/applications/${seg}/operation`, ctx =>
      terminateRoute(s, ctx),
    ),
    route('PATCH', `/api/v1/applications/${seg}`, ctx => patchRoute(s, ctx)),
    route('GET', '/api/v1/stream/applications', ctx => watchRoute(s, ctx)),
    route('GET', '/api/v1/applicationsets', ctx =>
      s.fake.applicationSets.listRoute(ctx.url, s.appSetAccess(ctx)),
    ),
    route('GET', `/api/v1/applicationsets/${seg}`, ctx =>
      s.fake.applicationSets.getRoute(
        ctx.params[0],
        ctx.url,
        s.appSetAccess(ctx),
      ),
    ),
    route('GET', '/api/v1/projects', ctx => listProjectsRoute(s, ctx)),
    route('GET', `/api/v1/projects/${seg}`, ctx =>
      getProjectRoute(s, ctx, false),
    ),
    route('GET', `/api/v1/projects/${seg}/detailed`, ctx =>
      getProjectRoute(s, ctx, true),
    ),
    route('GET', '/api/v1/clusters', ctx => listClustersRoute(s, ctx)),
  ];
}
