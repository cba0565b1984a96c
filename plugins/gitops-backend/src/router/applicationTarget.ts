import type {
  AuditorService,
  AuditorServiceEventSeverityLevel,
} from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import {
  requireDns1123Label,
  requireDns1123Subdomain,
} from '@kupe/plugin-gitops-common';
import type { Request } from 'express';
import { appParams, appQuery, parseInput } from './requestSchemas';

/**
 * The application a per-app route names, checked before anything else so a malformed path never
 * reaches Argo CD or Git. `otherQuery` lets routes with query parameters of their own keep them.
 */
export function applicationTarget(
  req: Request,
  options: { otherQuery?: boolean } = {},
) {
  const params = parseInput(appParams, req.params, 'path');
  const query = parseInput(
    options.otherQuery ? appQuery.passthrough() : appQuery,
    req.query,
    'query',
  );
  return {
    instance: requireDns1123Label('instance', params.instance),
    name: requireDns1123Subdomain('application name', params.name),
    appNamespace:
      query.appNamespace === undefined
        ? undefined
        : requireDns1123Label('appNamespace', query.appNamespace),
  };
}

type AuditMeta = Record<string, string | number | boolean | undefined>;

const definedOnly = (meta: AuditMeta) =>
  Object.fromEntries(
    Object.entries(meta).filter(([, v]) => v !== undefined),
  ) as Record<string, string | number | boolean>;

/** Runs a mutation inside an audit event: who (from the request), which app, what, outcome. */
export async function audited<T>(
  auditor: AuditorService,
  req: Request,
  eventId: string,
  severityLevel: AuditorServiceEventSeverityLevel,
  meta: AuditMeta,
  fn: () => Promise<T>,
  outcome?: (result: T) => AuditMeta,
): Promise<T> {
  const audit = await auditor.createEvent({
    eventId,
    severityLevel,
    request: req,
    meta: definedOnly(meta),
  });
  try {
    const result = await fn();
    await audit.success(
      outcome ? { meta: definedOnly(outcome(result)) } : undefined,
    );
    return result;
  } catch (error) {
    await audit.fail({
      error: isError(error) ? error : new Error(String(error)),
    });
    throw error;
  }
}
