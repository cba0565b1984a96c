import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  LogLine,
  LogPodsResponse,
  PodLogsResponse,
  ResourceEventsResponse,
} from '@kupe/plugin-gitops-common';
import type { ApplicationRef } from './GitOpsApi';
import { readServerSentEvents } from './serverSentEvents';

/** Which lines of which container the logs view asks for. */
export interface PodLogsQuery {
  namespace: string;
  pod: string;
  container?: string;
  sinceSeconds?: number;
  tailLines?: number;
  previous?: boolean;
}

/** How a followed log ended: the container's log ended, or the server said why it stopped. */
export type FollowEnd = { ended: true } | { ended: false; message: string };

const enc = encodeURIComponent;

/**
 * The events and logs routes of one application. Read with `fetchApi` (it carries the user's
 * token, which `EventSource` cannot), a followed log as server-sent events until `signal`
 * aborts, which closes the connection and so the backend's stream from Argo CD.
 */
export class GitOpsLogsClient {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  getResourceEvents(app: ApplicationRef): Promise<ResourceEventsResponse> {
    return this.#json(app, 'resource-events');
  }

  getPods(app: ApplicationRef): Promise<LogPodsResponse> {
    return this.#json(app, 'pods');
  }

  getLogs(
    app: ApplicationRef,
    query: PodLogsQuery,
    signal?: AbortSignal,
  ): Promise<PodLogsResponse> {
    return this.#json(app, 'logs', query, signal);
  }

  /** The lines as a file, for the browser to save. */
  async download(app: ApplicationRef, query: PodLogsQuery): Promise<Blob> {
    const res = await this.#fetch(app, 'logs', { ...query, download: true });
    return res.blob();
  }

  /** Follows a container's log, calling `onLine` for each line, until it ends or `signal` aborts. */
  async follow(
    app: ApplicationRef,
    query: PodLogsQuery,
    onLine: (line: LogLine) => void,
    signal: AbortSignal,
  ): Promise<FollowEnd | undefined> {
    const res = await this.#fetch(
      app,
      'logs',
      { ...query, follow: true },
      signal,
      'text/event-stream',
    );
    let end: FollowEnd | undefined;
    try {
      await readServerSentEvents(res.body!, event => {
        if (event.event === 'log') onLine(JSON.parse(event.data) as LogLine);
        else if (event.event === 'end') end = { ended: true };
        else if (event.event === 'error') {
          end = {
            ended: false,
            message: (JSON.parse(event.data) as { message: string }).message,
          };
        }
      });
    } catch (error) {
      if (!signal.aborted) throw error;
    }
    return end;
  }

  async #json<T>(
    app: ApplicationRef,
    route: string,
    query?: object,
    signal?: AbortSignal,
  ): Promise<T> {
    const res = await this.#fetch(app, route, query, signal);
    return (await res.json()) as T;
  }

  async #fetch(
    app: ApplicationRef,
    route: string,
    query: object = {},
    signal?: AbortSignal,
    accept = 'application/json',
  ): Promise<Response> {
    const base = await this.#discoveryApi.getBaseUrl('gitops');
    const params = Object.entries({
      appNamespace: app.appNamespace,
      ...query,
    })
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${enc(k)}=${enc(String(v))}`)
      .join('&');
    const url = `${base}/instances/${enc(app.instance)}/applications/${enc(
      app.name,
    )}/${route}${params ? `?${params}` : ''}`;
    const res = await this.#fetchApi.fetch(url, {
      signal,
      headers: { Accept: accept },
    });
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return res;
  }
}
