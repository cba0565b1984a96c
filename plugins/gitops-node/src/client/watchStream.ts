import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { ApplicationWatchEvent, ArgoCdStreamError } from '../argocd/types';
import {
  errorForStatus,
  redactSecrets,
  sanitizeUpstreamText,
} from './mapArgoCdError';
import { readNdjsonLines } from './ndjsonLines';

/**
 * How long a watch stream may receive no bytes before it is closed as dead (default 30 s).
 *
 * The client asks for SSE framing, with which argoproj/pkg's stream forwarder writes a `:`
 * keepalive line every 15 s (`grpc/http/forwarders.go` `withKeepalive`): a live stream is
 * never silent for 30 s, even when a `fields=` projection leaves out `reconciledAt` and so
 * nothing is sent for reconciles, while a half-open connection (a proxy or NAT that dropped
 * it without a FIN or RST) is. 30 s is two keepalives, half the portal's 60 s staleness
 * bound and one and a half of the index's 20 s liveness checks.
 */
export const DEFAULT_WATCH_IDLE_TIMEOUT_MS = 30_000;

/** Why a watch stream was closed by its idle watchdog. */
export class WatchIdleTimeout extends Error {
  constructor(readonly idleMs: number) {
    super(`no bytes for ${idleMs} ms`);
    this.name = 'WatchIdleTimeout';
  }
}

/**
 * A timer that fires `onIdle` once `idleMs` pass without a `touch()`; `stop()` disarms it.
 * Unref'd: an idle watch must not keep a process alive.
 */
export function idleWatchdog(idleMs: number, onIdle: () => void) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(onIdle, idleMs);
    timer.unref?.();
  };
  arm();
  return {
    touch: arm,
    stop: () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** The chunks of a body, each one resetting the watchdog: any byte proves the stream alive. */
export async function* touching<T>(
  chunks: AsyncIterable<T>,
  touch: () => void,
): AsyncGenerator<T> {
  for await (const chunk of chunks) {
    touch();
    yield chunk;
  }
}

/** Errors this client already mapped; anything else from the socket is a broken stream. */
export function isMappedError(error: unknown): boolean {
  return [
    InputError,
    AuthenticationError,
    NotAllowedError,
    NotFoundError,
    ConflictError,
    ServiceUnavailableError,
  ].some(type => error instanceof type);
}

/**
 * The events of an open `/api/v1/stream/applications` body, newline-delimited JSON or SSE:
 * one `{result}` per line, or an `{error}` line (grpc-gateway's stream error) thrown as the
 * error its `http_code` maps to.
 */
export async function* readWatchEvents(
  body: AsyncIterable<Buffer | string>,
  context: { instance: string; secrets: () => string[] },
): AsyncGenerator<ApplicationWatchEvent> {
  const name = context.instance;
  for await (const line of readNdjsonLines(body)) {
    // SSE framing: `data: {…} ` lines carry the messages, `:` lines are keepalives.
    if (line.text.startsWith(':')) continue;
    const json = line.text.startsWith('data:')
      ? line.text.slice('data:'.length).trim()
      : line.text;
    let message: { result?: ApplicationWatchEvent; error?: ArgoCdStreamError };
    try {
      message = JSON.parse(json);
    } catch {
      throw new ServiceUnavailableError(
        line.terminated
          ? `Argo CD ${name}: the application stream sent an unreadable line`
          : `Argo CD ${name}: the application stream was cut mid-message`,
      );
    }
    if (message?.error) {
      const { http_code: httpCode, message: text } = message.error;
      throw errorForStatus(
        typeof httpCode === 'number' ? httpCode : 500,
        `Argo CD ${name}: ${sanitizeUpstreamText(
          String(text ?? ''),
          context.secrets(),
        )}`,
      );
    }
    if (message?.result?.type && message.result.application) {
      yield {
        type: message.result.type,
        application: message.result.application,
      };
    }
  }
}

/** The error a watch ends with when it broke for a reason this client has not mapped. */
export function brokenStreamError(
  instance: string,
  error: unknown,
  secrets: string[],
): unknown {
  if (error instanceof WatchIdleTimeout) {
    return new ServiceUnavailableError(
      `Argo CD ${instance}: the application stream received nothing for ${error.idleMs} ms, not even its keepalive; closed it as dead so the watch reconnects`,
    );
  }
  if (isMappedError(error)) return error;
  return new ServiceUnavailableError(
    `Argo CD ${instance}: the application stream broke: ${redactSecrets(
      (error as Error)?.message ?? String(error),
      secrets,
    )}`,
  );
}
