import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  ActionResponse,
  ApplicationDetail,
  ApplicationsEvent,
  EntityApplicationsResponse,
  ManagedResourcesResponseBody,
  RefreshRequestBody,
  SyncRequestBody,
} from '@kupe/plugin-gitops-common';
import type { ApplicationRef, GitOpsApi } from './GitOpsApi';

/** Path every Backstage backend plugin serves to turn the bearer token into a cookie. */
const COOKIE_PATH = '/.backstage/auth/v1/cookie';

/** Polling bounds when the event stream is unavailable. */
export const POLL_INITIAL_MS = 5_000;
export const POLL_MAX_MS = 60_000;

/** Renew the cookie this long before it expires, so a reconnecting stream stays authorized. */
const COOKIE_RENEW_MARGIN_MS = 60_000;

type EventSourceFactory = (url: string) => EventSource;

/** @public */
export class GitOpsClient implements GitOpsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  private readonly createEventSource: EventSourceFactory | undefined;

  constructor(options: {
    discoveryApi: DiscoveryApi;
    fetchApi: FetchApi;
    /** Overrides how streams open; defaults to the browser's `EventSource` when present. */
    createEventSource?: EventSourceFactory;
  }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
    this.createEventSource =
      options.createEventSource ??
      (typeof EventSource === 'undefined'
        ? undefined
        : url => new EventSource(url, { withCredentials: true }));
  }

  getEntityApplications(
    entityRef: string,
  ): Promise<EntityApplicationsResponse> {
    const { kind, namespace, name } = splitEntityRef(entityRef);
    return this.request(
      `/entities/${enc(namespace)}/${enc(kind)}/${enc(name)}/applications`,
    );
  }

  getApplication(app: ApplicationRef): Promise<ApplicationDetail> {
    return this.request(appPath(app));
  }

  getManagedResources(
    app: ApplicationRef,
  ): Promise<ManagedResourcesResponseBody> {
    return this.request(appPath(app, '/resources'));
  }

  sync(app: ApplicationRef, body: SyncRequestBody): Promise<ActionResponse> {
    return this.request(appPath(app, '/sync'), { method: 'POST', body });
  }

  refresh(
    app: ApplicationRef,
    body: RefreshRequestBody,
  ): Promise<ActionResponse> {
    return this.request(appPath(app, '/refresh'), { method: 'POST', body });
  }

  terminate(app: ApplicationRef): Promise<ActionResponse> {
    return this.request(appPath(app, '/terminate'), {
      method: 'POST',
      body: {},
    });
  }

  subscribe(
    entityRef: string,
    onEvent: (event: ApplicationsEvent) => void,
  ): () => void {
    let closed = false;
    let source: EventSource | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let cookieTimer: ReturnType<typeof setTimeout> | undefined;

    const stop = () => {
      closed = true;
      source?.close();
      clearTimeout(timer);
      clearTimeout(cookieTimer);
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
            onEvent({ entityRef, ...data });
          }
        } catch {
          // The card shows the last good data; the next poll retries with a longer delay.
        }
        if (!closed) poll(next, seen);
      }, delay);
    };

    const renewCookie = async (): Promise<boolean> => {
      try {
        const base = await this.discoveryApi.getBaseUrl('gitops');
        const res = await this.fetchApi.fetch(`${base}${COOKIE_PATH}`, {
          credentials: 'include',
        });
        if (!res.ok) return false;
        const { expiresAt } = (await res.json()) as { expiresAt?: string };
        const renewIn = expiresAt
          ? Date.parse(expiresAt) - Date.now() - COOKIE_RENEW_MARGIN_MS
          : NaN;
        if (!closed && Number.isFinite(renewIn) && renewIn > 0) {
          cookieTimer = setTimeout(renewCookie, renewIn);
        }
        return true;
      } catch {
        return false;
      }
    };

    const listen = async () => {
      const create = this.createEventSource;
      if (!create || !(await renewCookie()) || closed) {
        if (!closed) poll(POLL_INITIAL_MS);
        return;
      }
      const base = await this.discoveryApi.getBaseUrl('gitops');
      if (closed) return;
      const es = create(`${base}/events?entityRef=${enc(entityRef)}`);
      source = es;
      let opened = false;
      es.addEventListener('open', () => {
        opened = true;
      });
      es.addEventListener('applications', message => {
        try {
          const event = JSON.parse(
            (message as MessageEvent<string>).data,
          ) as ApplicationsEvent;
          if (event.entityRef === entityRef) onEvent(event);
        } catch {
          // A malformed event is dropped; the next one carries the full state again.
        }
      });
      es.addEventListener('error', () => {
        // The browser reconnects an established stream by itself; a stream that never opened
        // or was closed for good (an HTTP error such as 401/404) falls back to polling.
        if (closed) return;
        if (!opened || es.readyState === 2 /* CLOSED */) {
          es.close();
          clearTimeout(cookieTimer);
          poll(POLL_INITIAL_MS);
        }
      });
    };

    listen().catch(() => {
      if (!closed) poll(POLL_INITIAL_MS);
    });
    return stop;
  }

  private async request<T>(
    path: string,
    init?: { method: 'POST'; body: object },
  ): Promise<T> {
    const base = await this.discoveryApi.getBaseUrl('gitops');
    const res = await this.fetchApi.fetch(`${base}${path}`, {
      method: init?.method ?? 'GET',
      ...(init && {
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(init.body),
      }),
    });
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as T;
  }
}

function enc(value: string): string {
  return encodeURIComponent(value);
}

function appPath(app: ApplicationRef, suffix = ''): string {
  return `/instances/${enc(app.instance)}/applications/${enc(
    app.name,
  )}${suffix}?appNamespace=${enc(app.appNamespace)}`;
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
