// Session, account and version endpoints, and the AppProject and cluster reads.
import {
  ArgoCdApiError,
  GrpcCode,
  jsonResponse,
  projectNotFound,
} from './errors';
import { type RouteContext, usernameOf, type FakeServer } from './fakeServer';

export async function createSessionRoute(
  s: FakeServer,
  ctx: RouteContext,
): Promise<Response> {
  const body = await s.body<{
    username: string;
    password: string;
    token: string;
  }>(ctx.request);
  if (body.token) {
    throw new ArgoCdApiError(
      GrpcCode.Unauthenticated,
      'token-based session creation is not supported',
    );
  }
  if (!body.username || !body.password) {
    throw new ArgoCdApiError(
      GrpcCode.Unauthenticated,
      'no credentials supplied',
    );
  }
  if (body.username !== 'admin' || body.password !== s.adminPassword) {
    throw new ArgoCdApiError(
      GrpcCode.Unauthenticated,
      'Invalid username or password',
    );
  }
  const token = s.fake.issueToken(`${body.username}:login`);
  const response = jsonResponse({ token });
  response.headers.set(
    'set-cookie',
    `argocd.token=${token}; path=/; SameSite=lax; httpOnly`,
  );
  return response;
}

export function userInfoRoute(ctx: RouteContext): Response {
  if (!ctx.claims) return jsonResponse({});
  return jsonResponse({
    loggedIn: true,
    username: usernameOf(ctx.claims.sub),
    iss: 'argocd',
  });
}

export function canIRoute(s: FakeServer, ctx: RouteContext): Response {
  const [resource, action, object] = ctx.params;
  return jsonResponse({
    value: s.can(s.claims(ctx), resource, action, object) ? 'yes' : 'no',
  });
}

export function listProjectsRoute(s: FakeServer, ctx: RouteContext): Response {
  const claims = s.claims(ctx);
  const items = s.fake
    .listProjects()
    .filter(p => s.can(claims, 'projects', 'get', p.metadata.name ?? ''));
  return jsonResponse({
    metadata: { resourceVersion: String(s.resourceVersion) },
    items,
  });
}

export function getProjectRoute(
  s: FakeServer,
  ctx: RouteContext,
  detailed: boolean,
): Response {
  const claims = s.claims(ctx);
  const name = ctx.params[0];
  s.enforceDetailed(claims, 'projects', 'get', name);
  const project = s.projects.get(name);
  if (!project) throw projectNotFound(name);
  if (!detailed) return jsonResponse(project);
  const clusters = s.fake.listClusters().filter(c => c.project === name);
  return jsonResponse({
    project,
    globalProjects: [],
    repositories: [],
    clusters,
  });
}

export function listClustersRoute(s: FakeServer, ctx: RouteContext): Response {
  const claims = s.claims(ctx);
  const q = ctx.url.searchParams;
  const items = s.fake
    .listClusters()
    .filter(c => !q.get('server') || c.server === q.get('server'))
    .filter(c => !q.get('name') || c.name === q.get('name'))
    .filter(c =>
      s.can(
        claims,
        'clusters',
        'get',
        c.project ? `${c.project}/${c.server}` : c.server,
      ),
    )
    .map(c => ({
      ...c,
      info: {
        ...c.info,
        applicationsCount: s.fake
          .listApplications()
          .filter(
            a =>
              a.spec.destination.server === c.server ||
              a.spec.destination.name === c.name,
          ).length,
      },
    }));
  return jsonResponse({ metadata: {}, items });
}
