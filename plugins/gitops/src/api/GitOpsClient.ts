import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  ArgoRollout,
  ArgoRolloutAction,
  ArgoRolloutsResponse,
  ActionResponse,
  ApplicationDetail,
  ApplicationSetDetail,
  ApplicationsEvent,
  DoraResponse,
  LiftQuarantineRequest,
  Quarantine,
  QuarantineRequest,
  QuarantinesResponse,
  EntityApplicationsResponse,
  GitOpsMethod,
  GitOpsParams,
  GitOpsRequestBody,
  GitOpsResponseBody,
  GitOpsRoute,
  ManagedResourcesResponseBody,
  PauseAutoSyncRequestBody,
  PromoteResponse,
  PromotionPreview,
  RefreshRequestBody,
  RevertPlan,
  RevertRequest,
  RevertResponse,
  RollbackRequestBody,
  RolloutsResponse,
  TenantsResponse,
  SyncRequestBody,
} from '@kupe/plugin-gitops-common';
import type { ApplicationRef, GitOpsApi } from './GitOpsApi';
import { readServerSentEvents } from './serverSentEvents';

/** Polling bounds when the event stream is unavailable. */
export const POLL_INITIAL_MS = 5_000;
export const POLL_MAX_MS = 60_000;

/** Reconnect bounds of an event stream that worked before (the server ends streams now and then). */
export const RECONNECT_INITIAL_MS = 1_000;
export const RECONNECT_MAX_MS = 60_000;

/**
 * The browser client of the gitops backend's routes under `/api/gitops`.
 *
 * @public
 */
export class GitOpsClient implements GitOpsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getEntityApplications(
    entityRef: string,
  ): Promise<EntityApplicationsResponse> {
    return this.call(
      'get',
      '/entities/{namespace}/{kind}/{name}/applications',
      { path: splitEntityRef(entityRef) },
    );
  }

  getApplication(app: ApplicationRef): Promise<ApplicationDetail> {
    return this.call('get', '/instances/{instance}/applications/{name}', {
      ...appParams(app),
    });
  }

  getManagedResources(
    app: ApplicationRef,
  ): Promise<ManagedResourcesResponseBody> {
    return this.call(
      'get',
      '/instances/{instance}/applications/{name}/resources',
      appParams(app),
    );
  }

  getRollouts(app: ApplicationRef): Promise<RolloutsResponse> {
    return this.call(
      'get',
      '/instances/{instance}/applications/{name}/rollouts',
      appParams(app),
    );
  }

  getArgoRollouts(app: ApplicationRef): Promise<ArgoRolloutsResponse> {
    return this.call(
      'get',
      '/instances/{instance}/applications/{name}/argo-rollouts',
      appParams(app),
    );
  }

  runArgoRolloutAction(
    app: ApplicationRef,
    rollout: { namespace: string; name: string },
    action: ArgoRolloutAction,
  ): Promise<ArgoRollout> {
    const params = appParams(app);
    return this.call(
      'post',
      `/instances/{instance}/applications/{name}/argo-rollouts/{rolloutNamespace}/{rollout}/${action}` as '/instances/{instance}/applications/{name}/argo-rollouts/{rolloutNamespace}/{rollout}/promote',
      {
        ...params,
        path: {
          ...params.path,
          rolloutNamespace: rollout.namespace,
          rollout: rollout.name,
        },
      },
    );
  }

  getApplicationSet(app: ApplicationRef): Promise<ApplicationSetDetail> {
    return this.call(
      'get',
      '/instances/{instance}/applications/{name}/applicationset',
      appParams(app),
    );
  }

  getEntityDora(entityRef: string, days?: number): Promise<DoraResponse> {
    return this.call('get', '/entities/{namespace}/{kind}/{name}/dora', {
      path: splitEntityRef(entityRef),
      query: { days },
    });
  }

  getTenantDora(tenant: string, days?: number): Promise<DoraResponse> {
    return this.call('get', '/tenants/{tenant}/dora', {
      path: { tenant },
      query: { days },
    });
  }

  getEntityQuarantines(
    entityRef: string,
    options: { includeLifted?: boolean } = {},
  ): Promise<QuarantinesResponse> {
    return this.call('get', '/entities/{namespace}/{kind}/{name}/quarantines', {
      path: splitEntityRef(entityRef),
      query: { includeLifted: options.includeLifted || undefined },
    });
  }

  quarantine(entityRef: string, body: QuarantineRequest): Promise<Quarantine> {
    return this.call(
      'post',
      '/entities/{namespace}/{kind}/{name}/quarantines',
      { path: splitEntityRef(entityRef), body },
    );
  }

  liftQuarantine(
    entityRef: string,
    id: string,
    body: LiftQuarantineRequest,
  ): Promise<Quarantine> {
    return this.call(
      'post',
      '/entities/{namespace}/{kind}/{name}/quarantines/{id}/lift',
      { path: { ...splitEntityRef(entityRef), id }, body },
    );
  }

  listTenants(): Promise<TenantsResponse> {
    return this.call('get', '/tenants', {});
  }

  sync(app: ApplicationRef, body: SyncRequestBody): Promise<ActionResponse> {
    return this.call('post', '/instances/{instance}/applications/{name}/sync', {
      ...appParams(app),
      body,
    });
  }

  refresh(
    app: ApplicationRef,
    body: RefreshRequestBody,
  ): Promise<ActionResponse> {
    return this.call(
      'post',
      '/instances/{instance}/applications/{name}/refresh',
      { ...appParams(app), body },
    );
  }

  pauseAutoSync(
    app: ApplicationRef,
    body: PauseAutoSyncRequestBody,
  ): Promise<ActionResponse> {
    return this.call(
      'post',
      '/instances/{instance}/applications/{name}/auto-sync/pause',
      { ...appParams(app), body },
    );
  }

  resumeAutoSync(app: ApplicationRef): Promise<ActionResponse> {
    return this.call(
      'post',
      '/instances/{instance}/applications/{name}/auto-sync/resume',
      appParams(app),
    );
  }

  terminate(app: ApplicationRef): Promise<ActionResponse> {
    return this.call(
      'post',
      '/instances/{instance}/applications/{name}/terminate',
      appParams(app),
    );
  }

  rollback(
    app: ApplicationRef,
    body: RollbackRequestBody,
  ): Promise<ActionResponse> {
    return this.call(
      'post',
      '/instances/{instance}/applications/{name}/rollback',
      { ...appParams(app), body },
    );
  }

  getPromotion(app: ApplicationRef): Promise<PromotionPreview> {
    return this.call(
      'get',
      '/instances/{instance}/applications/{name}/promotion',
      appParams(app),
    );
  }

  promote(
    app: ApplicationRef,
    options: { allowDowngrade?: boolean } = {},
  ): Promise<PromoteResponse> {
    return this.call(
      'post',
      '/instances/{instance}/applications/{name}/promote',
      {
        ...appParams(app),
        body: options.allowDowngrade ? { allowDowngrade: true } : {},
      },
    );
  }

  getRevertPlan(app: ApplicationRef, toRevision: string): Promise<RevertPlan> {
    const params = appParams(app);
    return this.call(
      'get',
      '/instances/{instance}/applications/{name}/revert-plan',
      { path: params.path, query: { ...params.query, toRevision } },
    );
  }

  revert(app: ApplicationRef, body: RevertRequest): Promise<RevertResponse> {
    return this.call(
      'post',
      '/instances/{instance}/applications/{name}/revert',
      { ...appParams(app), body },
    );
  }

  /**
   * Live updates of an entity's applications, their first state included. The event stream
   * is read with `fetchApi` rather than `EventSource`, because only fetchApi sends the user's
   * bearer token, which the events route needs to read the catalog as that user.
   */
  subscribe(
    entityRef: string,
    onEvent: (event: ApplicationsEvent) => void,
    onError?: (error: Error) => void,
  ): () => void {
    let closed = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const abort = new AbortController();

    const stop = () => {
      closed = true;
      clearTimeout(timer);
      abort.abort();
    };

    // The stream's first event is the list's whole answer, so a view costs one request. The
    // list is read instead, once, only when no first state comes from the stream: it cannot
    // open, or it fails or ends before its first event. When that read fails too, `onError`.
    let delivered = false;
    let readInstead: Promise<string | undefined> | undefined;
    const deliver = (event: ApplicationsEvent) => {
      delivered = true;
      onEvent(event);
    };
    const readListInstead = () => {
      readInstead ??= this.getEntityApplications(entityRef).then(
        data => {
          if (closed || delivered) return undefined;
          deliver({ entityRef, ...data });
          return JSON.stringify(withoutAges(data));
        },
        error => {
          if (!closed && !delivered) onError?.(error);
          return undefined;
        },
      );
      return readInstead;
    };

    // Polling is the fallback only: it starts at POLL_INITIAL_MS, doubles while nothing
    // changes and resets when something does, so an idle tab costs one request a minute.
    const poll = (delay: number, previous?: string) => {
      timer = setTimeout(async () => {
        let next = Math.min(delay * 2, POLL_MAX_MS);
        let seen = previous;
        try {
          const data = await this.getEntityApplications(entityRef);
          const serialized = JSON.stringify(withoutAges(data));
          if (closed) return;
          if (serialized !== previous) {
            if (previous !== undefined) next = POLL_INITIAL_MS;
            seen = serialized;
            deliver({ entityRef, ...data });
          }
        } catch {
          // The card shows the last good data; the next poll retries with a longer delay.
        }
        if (!closed) poll(next, seen);
      }, delay);
    };

    let everOpened = false;
    let reconnectDelay = RECONNECT_INITIAL_MS;

    const listen = async () => {
      let alive = false;
      try {
        const base = await this.discoveryApi.getBaseUrl('gitops');
        if (closed) return;
        const res = await this.fetchApi.fetch(
          `${base}/events?entityRef=${enc(entityRef)}`,
          { signal: abort.signal, headers: { Accept: 'text/event-stream' } },
        );
        // A 200 that is not an event stream (e.g. an HTML fallback page) never opened either.
        const type = res.headers.get('content-type') ?? '';
        if (res.ok && res.body && type.includes('text/event-stream')) {
          everOpened = true;
          await readServerSentEvents(
            res.body,
            message => {
              if (closed) return;
              // The backend could not read the applications; it sends the next change again.
              if (message.event === 'error' && !delivered) {
                void readListInstead();
                return;
              }
              if (message.event !== 'applications') return;
              try {
                const event = JSON.parse(message.data) as ApplicationsEvent;
                if (event.entityRef === entityRef) deliver(event);
              } catch {
                // A malformed event is dropped; the next one carries the full state again.
              }
            },
            () => {
              alive = true;
            },
          );
        } else {
          // Nothing more will be read; free the connection.
          res.body?.cancel().catch(() => {});
        }
      } catch {
        // Network errors and aborts end up here; what follows depends on `closed`.
      }
      if (closed) return;
      if (!everOpened) {
        const seen = await readListInstead();
        if (!closed) poll(POLL_INITIAL_MS, seen);
        return;
      }
      if (!delivered) void readListInstead();
      // Only a stream that delivered something resets the backoff, so a server that accepts
      // and drops at once is not hammered.
      if (alive) reconnectDelay = RECONNECT_INITIAL_MS;
      const delay = reconnectDelay;
      reconnectDelay = Math.min(reconnectDelay * 2, RECONNECT_MAX_MS);
      timer = setTimeout(() => void listen(), delay);
    };

    void listen();
    return stop;
  }

  /**
   * One route of the backend's OpenAPI document: the route template, its path and query
   * parameters, its JSON body and its 200 answer are all typed from the generated `paths`,
   * so a change of the document that the client does not follow fails to compile.
   */
  private async call<R extends GitOpsRoute, M extends GitOpsMethod<R>>(
    method: M,
    route: R,
    options: CallOptions<R, M>,
  ): Promise<GitOpsResponseBody<R, M>> {
    const { path, query, body } = options as {
      path?: Record<string, string>;
      query?: Record<string, string | undefined>;
      body?: unknown;
    };
    const url = route.replace(/\{(\w+)\}/g, (_, key: string) => {
      const value = path?.[key];
      if (value === undefined)
        throw new TypeError(`Missing path parameter ${key} of ${route}`);
      return enc(value);
    });
    const search = Object.entries(query ?? {})
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([key, value]) => `${enc(key)}=${enc(value)}`)
      .join('&');
    const base = await this.discoveryApi.getBaseUrl('gitops');
    const res = await this.fetchApi.fetch(
      `${base}${url}${search ? `?${search}` : ''}`,
      {
        method: method.toUpperCase(),
        ...(body !== undefined && {
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        }),
      },
    );
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as GitOpsResponseBody<R, M>;
  }
}

/** Parameters of a call, plus its body when the operation takes one. */
type CallOptions<
  R extends GitOpsRoute,
  M extends GitOpsMethod<R>,
> = GitOpsParams<R, M> &
  ([GitOpsRequestBody<R, M>] extends [never]
    ? { body?: never }
    : { body: GitOpsRequestBody<R, M> });

function enc(value: string): string {
  return encodeURIComponent(value);
}

function appParams(app: ApplicationRef) {
  return {
    path: { instance: app.instance, name: app.name },
    query: { appNamespace: app.appNamespace },
  };
}

/** Entity refs reach this client fully qualified (`kind:namespace/name`), as `stringifyEntityRef` makes them. */
function splitEntityRef(ref: string): {
  kind: string;
  namespace: string;
  name: string;
} {
  const match = /^([^:/]+):([^:/]+)\/(.+)$/.exec(ref);
  if (!match)
    throw new TypeError(
      `Expected a full entity ref kind:namespace/name, got '${ref}'`,
    );
  return { kind: match[1], namespace: match[2], name: match[3] };
}

/** Ages grow on every response; comparing without them detects real changes only. */
function withoutAges(data: EntityApplicationsResponse) {
  return {
    ...data,
    items: data.items.map(({ ageMs: _ageMs, ...rest }) => rest),
  };
}
