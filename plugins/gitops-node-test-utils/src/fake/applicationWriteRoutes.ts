// Creating (with Argo CD's spec validation) and deleting Applications.
import type { AppProject, Application } from '@kupe/plugin-gitops-node';
import { ArgoCdApiError, GrpcCode, jsonResponse } from './errors';
import {
  isDestinationPermitted,
  isSourceRepoPermitted,
} from '@kupe/plugin-gitops-node';
import { CONTROL_PLANE_NAMESPACE, appRbacObject } from './rbac';
import { matchesNamespaceList } from './applicationNamespaces';
import {
  type RouteContext,
  keyOf,
  sameJson,
  type FakeServer,
} from './fakeServer';

export async function createApplicationRoute(
  s: FakeServer,
  ctx: RouteContext,
): Promise<Response> {
  const claims = s.claims(ctx);
  const q = ctx.url.searchParams;
  const upsert = q.get('upsert') === 'true';
  const validate = q.get('validate') !== 'false';
  const body = await s.body<Application>(ctx.request);
  const name = body.metadata?.name;
  if (!name || !body.spec) {
    throw new ArgoCdApiError(
      GrpcCode.InvalidArgument,
      'application name and spec are required',
    );
  }
  const namespace = body.metadata?.namespace || CONTROL_PLANE_NAMESPACE;
  const projectName = body.spec.project ?? '';
  s.enforceDetailed(
    claims,
    'applications',
    'create',
    appRbacObject(projectName, namespace, name),
  );

  const project = s.projects.get(projectName);
  // `getAppProject`: outside the control-plane namespace the project must list the app's
  // namespace in `sourceNamespaces`, and says so in the same vague words as a missing one.
  if (
    !project ||
    (namespace !== CONTROL_PLANE_NAMESPACE &&
      !matchesNamespaceList(project.spec.sourceNamespaces ?? [], namespace))
  ) {
    throw new ArgoCdApiError(
      GrpcCode.InvalidArgument,
      `app is not allowed in project "${projectName}", or the project does not exist`,
    );
  }
  const existing = s.apps.get(keyOf(namespace, name));
  if (existing) {
    const same =
      sameJson(existing.spec, body.spec) &&
      sameJson(existing.metadata.labels, body.metadata?.labels) &&
      sameJson(existing.metadata.annotations, body.metadata?.annotations) &&
      sameJson(existing.metadata.finalizers, body.metadata?.finalizers);
    if (same) return jsonResponse(existing);
    if (!upsert) {
      throw new ArgoCdApiError(
        GrpcCode.InvalidArgument,
        'existing application spec is different, use upsert flag to force update',
      );
    }
    s.enforceDetailed(
      claims,
      'applications',
      'update',
      appRbacObject(projectName, namespace, name),
    );
  }
  validateSpec(s, name, body.spec, project, validate);
  if (!s.fake.isNamespaceEnabled(namespace)) {
    // `security.NamespaceNotPermittedError`: a plain Go error, so gRPC Unknown (HTTP 500).
    throw new ArgoCdApiError(
      GrpcCode.Unknown,
      `namespace '${namespace}' is not permitted`,
    );
  }

  const key = { name, namespace };
  let stored: Application;
  if (existing) {
    stored = s.fake.updateApplication(key, a => {
      a.spec = body.spec!;
      a.metadata.labels = body.metadata?.labels;
      a.metadata.annotations = body.metadata?.annotations;
      a.metadata.finalizers = body.metadata?.finalizers;
      a.metadata.generation = (a.metadata.generation ?? 1) + 1;
    })!;
  } else {
    // `operation` in the body is ignored on purpose (Argo CD logs it as a security event).
    stored = s.fake.putApplication({
      metadata: {
        name,
        namespace,
        labels: body.metadata?.labels,
        annotations: body.metadata?.annotations,
        finalizers: body.metadata?.finalizers,
      },
      spec: body.spec,
      status: { sync: { status: '' }, health: {}, summary: {} },
    });
  }
  s.fake.controller.applicationSpecChanged(key);
  return jsonResponse(s.apps.get(keyOf(namespace, name)) ?? stored);
}

export function validateSpec(
  s: FakeServer,
  name: string,
  spec: Application['spec'],
  project: AppProject,
  validate: boolean,
): void {
  const invalid = (message: string) =>
    new ArgoCdApiError(
      GrpcCode.InvalidArgument,
      `application spec for ${name} is invalid: InvalidSpecError: ${message}`,
    );
  const destination = spec.destination ?? {};
  const projectName = project.metadata.name;
  if (destination.name && destination.server) {
    throw new ArgoCdApiError(
      GrpcCode.InvalidArgument,
      "application destination can't have both name and server defined",
    );
  }
  let server = destination.server;
  if (destination.name) {
    server = s.fake.findClusterByName(destination.name)?.server;
    if (!server && validate) {
      throw invalid(
        `unable to find destination server: there are no clusters with this name: ${destination.name}`,
      );
    }
  }
  for (const source of [spec.source, ...(spec.sources ?? [])]) {
    if (source && !isSourceRepoPermitted(project, source.repoURL)) {
      throw invalid(
        `application repo ${source.repoURL} is not permitted in project '${projectName}'`,
      );
    }
  }
  if (
    !isDestinationPermitted(project, {
      server,
      name: destination.name,
      namespace: destination.namespace,
    })
  ) {
    throw invalid(
      `application destination server '${server ?? ''}' and namespace '${
        destination.namespace ?? ''
      }' do not match any of the allowed destinations in project '${projectName}'`,
    );
  }
}

export function deleteApplicationRoute(
  s: FakeServer,
  ctx: RouteContext,
): Response {
  const claims = s.claims(ctx);
  const app = s.lookupApp(claims, ctx.params[0], s.appQuery(ctx.url));
  s.enforceDetailed(claims, 'applications', 'delete', s.rbacObjectOf(app));
  const q = ctx.url.searchParams;
  const cascade = q.get('cascade') !== 'false';
  const policy = q.get('propagationPolicy') ?? '';
  if (!cascade && policy) {
    throw new ArgoCdApiError(
      GrpcCode.InvalidArgument,
      'cannot set propagation policy when cascading is disabled',
    );
  }
  if (!['', 'foreground', 'background'].includes(policy)) {
    throw new ArgoCdApiError(
      GrpcCode.InvalidArgument,
      `invalid propagation policy: ${policy}`,
    );
  }
  const finalizer = policy
    ? `resources-finalizer.argocd.argoproj.io/${policy}`
    : 'resources-finalizer.argocd.argoproj.io';
  const key = s.keyOfApp(app);
  s.fake.updateApplication(key, a => {
    a.metadata.finalizers = cascade
      ? [...new Set([...(a.metadata.finalizers ?? []), finalizer])]
      : (a.metadata.finalizers ?? []).filter(
          f => !f.startsWith('resources-finalizer.argocd.argoproj.io'),
        );
    a.metadata.deletionTimestamp = s.fake.timestamp();
  });
  s.fake.controller.applicationDeleted(key, cascade);
  return jsonResponse({});
}
