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
 * Argo CD's application watch sends no heartbeats, so a half-open connection (a proxy or NAT
 * that dropped it without a FIN or RST) and a quiet instance look the same: silence. The
 * controller rewrites every app's status on each reconcile (`timeout.reconciliation`, 120 s
 * plus up to 60 s of jitter), so a live stream of a busy instance is rarely quiet for long;
 * a quiet one costs one reconnect and relist per period, which is cheap exactly because the
 * instance is quiet. 30 s is half the portal's 60 s staleness bound and one and a half of the
 * index's 20 s liveness checks: the check sees a missed change within 20 s and relists, and a
 * dead stream is closed before the bound runs out, so the relisted index is fed by a live
 * stream again instead of by one check after another.
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
 * The events of an open `/api/v1/stream/applications` body: one `{result}` per line, or an
 * `{error}` line (grpc-gateway's stream error) thrown as the error its `http_code` maps to.
 */
export async function* readWatchEvents(
  body: AsyncIterable<Buffer | string>,
  context: { instance: string; secrets: () => string[] },
): AsyncGenerator<ApplicationWatchEvent> {
  const name = context.instance;
  for await (const line of readNdjsonLines(body)) {
    let message: { result?: ApplicationWatchEvent; error?: ArgoCdStreamError };
    try {
      message = JSON.parse(line.text);
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
      `Argo CD ${instance}: the application stream received nothing for ${error.idleMs} ms (Argo CD sends no heartbeats); closed it as dead so the watch reconnects`,
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
