import http, { IncomingMessage } from 'node:http';
import https from 'node:https';

export interface HttpRequestSpec {
  url: URL;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  headers: Record<string, string>;
  body?: string;
  agent: http.Agent;
  /** Aborting destroys the request and, once it arrived, the response and its socket. */
  signal: AbortSignal;
  /** Called once the connection to the server is established (after TLS for https). */
  onConnected?: () => void;
}

/** An answer whose body has not been read yet. */
export interface OpenHttpResponse {
  response: IncomingMessage;
  /** Reads the whole body as UTF-8 text, still under the request's signal. */
  text(): Promise<string>;
  /** Stops watching the signal and frees the socket if the body is left unread. */
  close(): void;
}

/**
 * Errors of a request on a reused keep-alive socket that the server (or a proxy in front of
 * it: an ingress, a load balancer) had closed as idle just as the request went out.
 */
const STALE_SOCKET_ERRORS = new Set(['ECONNRESET', 'EPIPE']);

/** A failure on a reused socket before any answer: the request may be sent again. */
class StaleSocketError extends Error {
  constructor(readonly cause: unknown) {
    super('stale keep-alive socket');
  }
}

function attempt(spec: HttpRequestSpec): Promise<OpenHttpResponse> {
  return new Promise((resolve, reject) => {
    if (spec.signal.aborted) {
      reject(spec.signal.reason);
      return;
    }
    const send = spec.url.protocol === 'https:' ? https.request : http.request;
    const headers = { ...spec.headers };
    if (spec.body !== undefined) {
      headers['Content-Length'] = String(Buffer.byteLength(spec.body));
    }
    const request = send(spec.url, {
      method: spec.method,
      headers,
      agent: spec.agent,
    });
    let response: IncomingMessage | undefined;

    const onAbort = () => {
      const reason: unknown = spec.signal.reason;
      response?.destroy(reason instanceof Error ? reason : undefined);
      request.destroy(reason instanceof Error ? reason : undefined);
      reject(reason);
    };
    const close = () => {
      spec.signal.removeEventListener('abort', onAbort);
      if (response && !response.complete) response.destroy();
    };
    spec.signal.addEventListener('abort', onAbort, { once: true });

    if (spec.onConnected) {
      const connected = spec.onConnected;
      request.once('socket', socket => {
        const event =
          spec.url.protocol === 'https:' ? 'secureConnect' : 'connect';
        // A reused keep-alive socket is connected already.
        if (socket.connecting) socket.once(event, connected);
        else connected();
      });
    }
    request.on('error', error => {
      spec.signal.removeEventListener('abort', onAbort);
      if (spec.signal.aborted) reject(spec.signal.reason);
      else if (
        !response &&
        request.reusedSocket &&
        STALE_SOCKET_ERRORS.has((error as NodeJS.ErrnoException).code ?? '')
      )
        reject(new StaleSocketError(error));
      else reject(error);
    });
    request.on('response', res => {
      response = res;
      resolve({
        response: res,
        close,
        text: async () => {
          try {
            const chunks: Buffer[] = [];
            for await (const chunk of res) {
              chunks.push(
                typeof chunk === 'string' ? Buffer.from(chunk) : chunk,
              );
            }
            return Buffer.concat(chunks).toString('utf8');
          } catch (error) {
            throw spec.signal.aborted ? spec.signal.reason : error;
          } finally {
            close();
          }
        },
      });
    });
    request.end(spec.body);
  });
}

/**
 * Sends one request with Node's `http`/`https` (so the instance's agent carries TLS trust) and
 * resolves when the response headers arrive. Rejects with the signal's reason on abort and with
 * the socket error on network failures. A GET that fails on a reused keep-alive socket before
 * any answer is sent once more: the server closed that idle socket as the request went out,
 * so it never saw the request (Node's documented race; only a GET, which changes nothing, is
 * sent again).
 */
export async function openHttpRequest(
  spec: HttpRequestSpec,
): Promise<OpenHttpResponse> {
  try {
    return await attempt(spec);
  } catch (error) {
    if (
      spec.method !== 'GET' ||
      spec.signal.aborted ||
      !(error instanceof StaleSocketError)
    )
      throw error instanceof StaleSocketError ? error.cause : error;
    return attempt(spec).catch(retried => {
      throw retried instanceof StaleSocketError ? retried.cause : retried;
    });
  }
}
