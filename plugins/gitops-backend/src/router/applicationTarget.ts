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

/** The application a per-app route names. */
export interface ApplicationTarget {
  instance: string;
  name: string;
  appNamespace?: string;
}

/**
 * The application a per-app route names, checked before anything else so a malformed path never
 * reaches Argo CD or Git. The OpenAPI validator has already checked presence, lengths and that
 * no unknown query parameter came along; the DNS-1123 rules are the product's own.
 */
export function applicationTarget(req: Request): ApplicationTarget {
  const appNamespace = req.query.appNamespace;
  return {
    instance: requireDns1123Label('instance', req.params.instance),
    name: requireDns1123Subdomain('application name', req.params.name),
    appNamespace:
      typeof appNamespace === 'string'
        ? requireDns1123Label('appNamespace', appNamespace)
        : undefined,
  };
}

/** What an audit event records besides who and when: never a credential. */
export type AuditMeta = Record<string, string | number | boolean | undefined>;

const definedOnly = (meta: AuditMeta) =>
  Object.fromEntries(
    Object.entries(meta).filter(([, v]) => v !== undefined),
  ) as Record<string, string | number | boolean>;

/** Runs `fn` inside an audit event: who (from the request), which app, what, outcome. */
export async function audited<T>(
  auditor: AuditorService,
  req: Request,
  event: {
    eventId: string;
    severityLevel: AuditorServiceEventSeverityLevel;
    meta: AuditMeta;
  },
  fn: () => Promise<T>,
  outcome?: (result: T) => AuditMeta,
): Promise<T> {
  const audit = await auditor.createEvent({
    eventId: event.eventId,
    severityLevel: event.severityLevel,
    request: req,
    meta: definedOnly(event.meta),
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
