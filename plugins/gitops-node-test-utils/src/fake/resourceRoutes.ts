import type { Application, ResourceNode } from '@kupe/plugin-gitops-node';
import type { ArgoCdFakeController } from './controller';
import { ArgoCdApiError, GrpcCode } from './errors';
import {
  type LiveManifest,
  discoverResourceActions,
  runBuiltInAction,
} from './rolloutActions';

/** `application.ApplicationResourceRequest` fields, from the query or a V2 body. */
interface ResourceQuery {
  name: string;
  namespace: string;
  resourceName: string;
  version: string;
  group: string;
  kind: string;
  project?: string;
  appNamespace?: string;
}

/** What the resource routes need of the fake's API-server half. */
export interface ResourceRouteHost {
  controller: ArgoCdFakeController;
  /** `getApplicationEnforceRBACInformer` with `action` (`get`, `action/<g>/<k>/<a>`). */
  lookupApp(query: ResourceQuery, action: string): Application;
  recordEvent(app: Application, reason: string, message: string): void;
  now(): Date;
}

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });
}

/** The resource request fields of a query string (`GET`, and the v1 `POST`). */
export function resourceQueryOf(name: string, url: URL): ResourceQuery {
  const q = url.searchParams;
  return {
    name,
    namespace: q.get('namespace') ?? '',
    resourceName: q.get('resourceName') ?? '',
    version: q.get('version') ?? '',
    group: q.get('group') ?? '',
    kind: q.get('kind') ?? '',
    project: q.get('project') || undefined,
    appNamespace: q.get('appNamespace') || undefined,
  };
}

/**
 * Argo CD v3.5.1's endpoints for one live resource of an app (`server/application/
 * application.go`): `GET .../resource` (`GetResource`), `GET .../resource/actions`
 * (`ListResourceActions`) and `POST .../resource/actions[/v2]` (`RunResourceAction[V2]`).
 * The resource must be a node of the app's resource tree (else 400 `<kind> <group> <name> not
 * found as part of application <app>`); reads need `applications, get`, an action
 * `applications, action/<group>/<kind>/<action>`, refused like any app lookup (403, or 404
 * with a project). The live object comes from the controller (the fake's cluster).
 */
export class ResourceRoutes {
  constructor(private readonly host: ResourceRouteHost) {}

  #find(query: ResourceQuery, action: string) {
    const app = this.host.lookupApp(query, action);
    const node = (this.host.controller.resourceTree(app).nodes ?? []).find(
      (n: ResourceNode) =>
        (n.group ?? '') === query.group &&
        n.kind === query.kind &&
        (n.namespace ?? '') === query.namespace &&
        n.name === query.resourceName,
    );
    if (!node?.uid) {
      throw new ArgoCdApiError(
        GrpcCode.InvalidArgument,
        `${query.kind} ${query.group} ${query.resourceName} not found as part of application ${query.name}`,
      );
    }
    const live = this.host.controller.liveObject?.(app, node);
    if (!live) {
      const resource = `${query.kind.toLowerCase()}s${
        query.group ? `.${query.group}` : ''
      }`;
      throw new ArgoCdApiError(
        GrpcCode.NotFound,
        `${resource} "${query.resourceName}" not found`,
      );
    }
    return { app, node, live };
  }

  getResource(query: ResourceQuery): Response {
    const { live } = this.#find(query, 'get');
    return json({ manifest: JSON.stringify(live) });
  }

  listActions(query: ResourceQuery): Response {
    const { live } = this.#find(query, 'get');
    return json({ actions: discoverResourceActions(live) });
  }

  runAction(query: ResourceQuery, action: string): Response {
    const { app, node, live } = this.#find(
      query,
      `action/${query.group}/${query.kind}/${action}`,
    );
    const patched: LiveManifest = runBuiltInAction(
      live,
      action,
      this.host.now(),
    );
    this.host.controller.patchLiveObject?.(app, node, patched);
    this.host.recordEvent(
      app,
      'ResourceActionRan',
      `ran action ${action} on resource ${node.group ?? ''}/${node.kind}/${
        node.name
      }`,
    );
    return json({});
  }
}

/** The V2 body (`application.ResourceActionRunRequestV2`) as a resource request and action. */
export function runRequestOfBody(
  name: string,
  body: Record<string, unknown>,
): { query: ResourceQuery; action: string } {
  const text = (key: string) =>
    typeof body[key] === 'string' ? (body[key] as string) : '';
  return {
    query: {
      name,
      namespace: text('namespace'),
      resourceName: text('resourceName'),
      version: text('version'),
      group: text('group'),
      kind: text('kind'),
      project: text('project') || undefined,
      appNamespace: text('appNamespace') || undefined,
    },
    action: text('action'),
  };
}
