import { InputError, ServiceUnavailableError } from '@backstage/errors';
import {
  requireDns1123Label,
  requireDns1123Subdomain,
} from '@kupe/plugin-gitops-common';
import type { ArgoCdStreamError } from '../argocd/types';
import type {
  ApplicationLogEntry,
  EventResourceRef,
  PodLogsQuery,
} from '../argocd/logTypes';
import type { ArgoCdAppScope } from './ArgoCdClient';
import type { ArgoCdConnection } from './argoCdConnection';
import { requireAppName, requireBoolean } from './argoCdInputRules';
import {
  errorForStatus,
  redactSecrets,
  sanitizeUpstreamText,
} from './mapArgoCdError';
import { readNdjsonLines } from './ndjsonLines';
import type { OpenHttpResponse } from './openHttpRequest';
import { apiPath, scopeParams } from './requestParams';
import type { ArgoCdRequest } from './sendRequest';
import { isMappedError } from './watchStream';

// A Kubernetes object UID: a UUID in practice; letters, digits and dashes at least.
const UID = /^[0-9A-Za-z-]{1,64}$/;
// Argo CD takes any filter; a bound keeps URLs short.
const FILTER_MAX = 256;

function requirePositiveInteger(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new InputError(
      `Invalid ${field} ${String(value)}: must be a positive integer`,
    );
  }
  return value;
}

/** The query of an events call for one resource of the app, validated. */
export function resourceEventParams(
  resource: EventResourceRef | undefined,
): URLSearchParams {
  const params = new URLSearchParams();
  if (!resource) return params;
  params.set(
    'resourceName',
    requireDns1123Subdomain('resource name', resource.name),
  );
  params.set(
    'resourceNamespace',
    requireDns1123Label('resource namespace', resource.namespace),
  );
  if (typeof resource.uid !== 'string' || !UID.test(resource.uid)) {
    throw new InputError(
      `Invalid resource uid ${JSON.stringify(resource.uid)}`,
    );
  }
  params.set('resourceUID', resource.uid);
  return params;
}

/**
 * `GET /api/v1/applications/{name}/logs` for one container of one pod, every value validated
 * (names as Kubernetes names, counts as positive integers) before it becomes part of the URL.
 */
export function podLogsRequest(
  name: string,
  query: PodLogsQuery,
  scope: ArgoCdAppScope,
): ArgoCdRequest {
  const params = scopeParams(scope);
  params.set(
    'namespace',
    requireDns1123Label('pod namespace', query.namespace),
  );
  params.set('podName', requireDns1123Subdomain('pod name', query.podName));
  if (query.container !== undefined) {
    params.set('container', requireDns1123Label('container', query.container));
  }
  if (query.sinceSeconds !== undefined) {
    params.set(
      'sinceSeconds',
      String(requirePositiveInteger('sinceSeconds', query.sinceSeconds)),
    );
  }
  if (query.tailLines !== undefined) {
    params.set(
      'tailLines',
      String(requirePositiveInteger('tailLines', query.tailLines)),
    );
  }
  for (const flag of ['follow', 'previous', 'matchCase'] as const) {
    if (query[flag] !== undefined) {
      params.set(flag, String(requireBoolean(flag, query[flag])));
    }
  }
  if (query.filter !== undefined) {
    if (
      typeof query.filter !== 'string' ||
      query.filter === '' ||
      query.filter.length > FILTER_MAX
    ) {
      throw new InputError(
        `Invalid filter: must be 1 to ${FILTER_MAX} characters`,
      );
    }
    params.set('filter', query.filter);
  }
  return {
    method: 'GET',
    path: apiPath('api', 'v1', 'applications', requireAppName(name), 'logs'),
    query: params,
    tenant: scope.tenant,
    signal: scope.signal,
  };
}

/**
 * The entries of an open logs body, one `{result}` per line; an `{error}` line (a stream
 * error after the first entry) is thrown as the error its `http_code` maps to. Ends after the
 * entry marked `last`, which is not yielded: it carries no line.
 */
export async function* readLogEntries(
  body: AsyncIterable<Buffer | string>,
  context: { instance: string; secrets: () => string[] },
): AsyncGenerator<ApplicationLogEntry> {
  const name = context.instance;
  for await (const line of readNdjsonLines(body)) {
    let message: { result?: ApplicationLogEntry; error?: ArgoCdStreamError };
    try {
      message = JSON.parse(line.text);
    } catch {
      throw new ServiceUnavailableError(
        `Argo CD ${name}: the log stream sent an unreadable line`,
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
    const entry = message?.result;
    if (!entry) continue;
    if (entry.last) return;
    yield entry;
  }
}

/**
 * Streams the logs of one request. The socket is closed when the caller stops iterating or
 * aborts `request.signal` (a browser that left), so Argo CD stops following the pod too.
 */
export async function* streamLogs(
  connection: ArgoCdConnection,
  request: ArgoCdRequest,
): AsyncGenerator<ApplicationLogEntry> {
  let opened: OpenHttpResponse | undefined;
  try {
    opened = await connection.open(request, { stream: true });
    yield* readLogEntries(opened.response, {
      instance: connection.transport.instance,
      secrets: () => connection.secrets(),
    });
  } catch (error) {
    if (request.signal?.aborted) return;
    if (isMappedError(error)) throw error;
    throw new ServiceUnavailableError(
      `Argo CD ${
        connection.transport.instance
      }: the log stream broke: ${redactSecrets(
        (error as Error)?.message ?? String(error),
        connection.secrets(),
      )}`,
    );
  } finally {
    opened?.close();
  }
}
