import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

// Enough for any Argo CD message; bounds what a misbehaving proxy can push into our logs.
const MAX_MESSAGE = 300;

/**
 * Makes upstream text safe for an error message: tags of proxy HTML pages removed, control
 * characters and line breaks flattened, length bounded, and every known secret masked.
 */
export function sanitizeUpstreamText(
  text: string,
  secrets: readonly string[] = [],
): string {
  let result = text
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  result = redactSecrets(result, secrets);
  return result.length > MAX_MESSAGE
    ? `${result.slice(0, MAX_MESSAGE)}…`
    : result;
}

/** Masks every occurrence of a secret; short strings are skipped so no ordinary word is masked. */
export function redactSecrets(
  text: string,
  secrets: readonly string[],
): string {
  let result = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) result = result.split(secret).join('***');
  }
  return result;
}

/** The message of an Argo CD error body, in either the unary or the stream shape. */
function extractMessage(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (!parsed || typeof parsed !== 'object') return undefined;
    const record = parsed as Record<string, unknown>;
    if (typeof record.message === 'string') return record.message;
    if (typeof record.error === 'string') return record.error;
    const streamError = record.error as Record<string, unknown> | undefined;
    if (streamError && typeof streamError.message === 'string')
      return streamError.message;
  } catch {
    // Not JSON: the caller falls back to the raw text.
  }
  return undefined;
}

/** The `@backstage/errors` type for an Argo CD HTTP status (grpc-gateway v1.16 mapping). */
export function errorForStatus(status: number, message: string): Error {
  switch (status) {
    case 400:
    case 415:
      return new InputError(message);
    case 401:
      return new AuthenticationError(message);
    case 403:
      return new NotAllowedError(message);
    case 404:
      return new NotFoundError(message);
    case 409:
      return new ConflictError(message);
    default:
      return new ServiceUnavailableError(message);
  }
}

/**
 * Maps a failed Argo CD answer to an `@backstage/errors` error whose message is
 * `Argo CD <instance>: <Argo CD message>`. JSON bodies give their `message`; anything else
 * (the gateway's `Not Found`, a proxy's HTML page) is sanitised and truncated.
 */
export function mapArgoCdError(options: {
  instance: string;
  status: number;
  body: string;
  secrets?: readonly string[];
}): Error {
  const { instance, status, body, secrets = [] } = options;
  const upstream = sanitizeUpstreamText(extractMessage(body) ?? body, secrets);
  const detail = upstream || `HTTP ${status}`;
  return errorForStatus(status, `Argo CD ${instance}: ${detail}`);
}
