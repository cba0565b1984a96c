import type http from 'node:http';
import { ServiceUnavailableError } from '@backstage/errors';
import { sanitizeUpstreamText } from './mapArgoCdError';
import { OpenHttpResponse, openHttpRequest } from './openHttpRequest';

/** One request to Argo CD's REST API. */
export interface ArgoCdRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Already-encoded path below the base URL, starting with `/api/`. */
  path: string;
  query?: URLSearchParams;
  body?: unknown;
  tenant?: string;
  signal?: AbortSignal;
  /** Overrides the instance's per-request timeout (ms). */
  timeoutMs?: number;
  /**
   * `text/event-stream` asks a stream for SSE framing, with which argoproj/pkg's forwarder
   * writes a `:` keepalive line every 15 s; anything else gets newline-delimited JSON.
   */
  accept?: 'application/json' | 'text/event-stream';
}

/** What a request needs of its instance. */
export interface ArgoCdTransport {
  instance: string;
  baseUrl: URL;
  /** The base URL's path without its trailing slash (a URL object turns '' back into '/'). */
  pathPrefix: string;
  agent: http.Agent;
  timeoutMs: number;
  /** Every value that must never appear in an error or a log line. */
  secrets(): string[];
}

/** Marks an abort caused by our own per-request timer, as opposed to the caller's signal. */
class RequestTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super('request timed out');
    this.name = 'RequestTimeout';
  }
}

/**
 * What a failed exchange is thrown as: our timeout and network failures become
 * `ServiceUnavailableError` naming the instance; an abort by the caller (or by a stream's
 * idle watchdog, which aborts through the request's signal) keeps the signal's reason.
 */
export function transportError(
  transport: ArgoCdTransport,
  error: unknown,
  callerSignal?: AbortSignal,
): unknown {
  if (error instanceof RequestTimeout) {
    return new ServiceUnavailableError(
      `Argo CD ${transport.instance} timed out after ${error.timeoutMs} ms`,
    );
  }
  if (callerSignal?.aborted) return callerSignal.reason;
  const code = (error as { code?: unknown })?.code;
  const detail =
    typeof code === 'string'
      ? code
      : (error as Error)?.message ?? String(error);
  return new ServiceUnavailableError(
    `Argo CD ${transport.instance} is unreachable: ${sanitizeUpstreamText(
      detail,
      transport.secrets(),
    )}`,
  );
}

/**
 * One HTTP exchange under the per-request timeout. For streams the timer stops once the
 * connection is established: Argo CD's gateway sends a watch's headers only with its first
 * event, so on a quiet instance an incremental watch (from a resourceVersion) may wait for
 * its headers as long as nothing changes, and must not be cut and re-listed for that (its
 * idle watchdog decides when silence means a dead connection). Otherwise the timer covers
 * the headers and reading the body.
 */
export async function sendArgoCdRequest(
  transport: ArgoCdTransport,
  request: ArgoCdRequest,
  token: string | undefined,
  options: { stream?: boolean } = {},
): Promise<OpenHttpResponse> {
  const url = new URL(transport.baseUrl.toString());
  url.pathname = `${transport.pathPrefix}${request.path}`;
  const search = request.query?.toString();
  url.search = search ? `?${search}` : '';

  const headers: Record<string, string> = {
    Accept: request.accept ?? 'application/json',
  };
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (request.method !== 'GET') {
    // Argo CD compares the whole header: a charset suffix already gets 415.
    headers['Content-Type'] = 'application/json';
    body =
      request.body === undefined ? undefined : JSON.stringify(request.body);
  }

  const timeoutMs = request.timeoutMs ?? transport.timeoutMs;
  const timer = new AbortController();
  const handle = setTimeout(
    () => timer.abort(new RequestTimeout(timeoutMs)),
    timeoutMs,
  );
  const signal = request.signal
    ? AbortSignal.any([request.signal, timer.signal])
    : timer.signal;

  let opened: OpenHttpResponse;
  try {
    opened = await openHttpRequest({
      url,
      method: request.method,
      headers,
      body,
      agent: transport.agent,
      signal,
      onConnected: options.stream ? () => clearTimeout(handle) : undefined,
    });
  } catch (error) {
    clearTimeout(handle);
    throw transportError(transport, error, request.signal);
  }
  if (options.stream) {
    clearTimeout(handle);
    return opened;
  }
  return {
    response: opened.response,
    close: () => {
      clearTimeout(handle);
      opened.close();
    },
    text: async () => {
      try {
        return await opened.text();
      } catch (error) {
        throw transportError(transport, error, request.signal);
      } finally {
        clearTimeout(handle);
      }
    },
  };
}
