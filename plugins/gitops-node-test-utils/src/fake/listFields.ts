import type { Application } from '@kupe/plugin-gitops-node';

type FieldGetter = (app: Application) => unknown;

/**
 * The fixed `fields=` whitelist of `ApplicationService.List` (argo-cd
 * `pkg/apiclient/application/forwarder_overwrite.go`). Getters return `undefined` where Go's
 * returns an untyped nil (the field is then left out); a nil map or pointer is a typed nil
 * in Go and so is still written, as `null`.
 */
const APP_FIELDS: Array<[string, FieldGetter]> = [
  ['metadata.name', a => a.metadata.name ?? ''],
  ['metadata.namespace', a => a.metadata.namespace ?? ''],
  ['metadata.annotations', a => a.metadata.annotations ?? null],
  ['metadata.labels', a => a.metadata.labels ?? null],
  ['metadata.creationTimestamp', a => a.metadata.creationTimestamp ?? null],
  ['metadata.deletionTimestamp', a => a.metadata.deletionTimestamp ?? null],
  ['spec', a => a.spec],
  ['spec.destination', a => a.spec.destination],
  ['spec.project', a => a.spec.project],
  ['spec.source', a => a.spec.source ?? null],
  ['spec.sources', a => a.spec.sources ?? null],
  ['spec.syncPolicy', a => a.spec.syncPolicy ?? null],
  ['status.sync.status', a => a.status?.sync?.status ?? ''],
  ['status.sync.revision', a => a.status?.sync?.revision ?? ''],
  ['status.health', a => a.status?.health ?? {}],
  ['status.summary', a => a.status?.summary ?? {}],
  [
    'status.resources',
    a => (a.status?.resources?.length ? a.status.resources : undefined),
  ],
  ['status.operationState.startedAt', a => a.status?.operationState?.startedAt],
  [
    'status.operationState.finishedAt',
    a => a.status?.operationState?.finishedAt,
  ],
  ['status.operationState.phase', a => a.status?.operationState?.phase],
  ['operation.sync', a => a.operation?.sync],
  // Argo CD maps this path to the sync *result*, not the requested sync.
  [
    'status.operationState.operation.sync',
    a => a.status?.operationState?.syncResult,
  ],
];

/** Parses `fields=a,b` / `fields=-a,b` as argoproj/pkg does: one leading `-` excludes. */
export function parseFields(
  query: string | null,
): { fields: Set<string>; exclude: boolean } | undefined {
  if (!query) return undefined;
  const exclude = query.startsWith('-');
  return {
    fields: new Set((exclude ? query.slice(1) : query).split(',')),
    exclude,
  };
}

/** Projects one application onto the whitelisted fields. */
export function projectApplication(
  app: Application,
  selection: { fields: Set<string>; exclude: boolean },
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, get] of APP_FIELDS) {
    if (selection.fields.has(`items.${field}`) === selection.exclude) continue;
    const value = get(app);
    if (value === undefined) continue;
    const parts = field.split('.');
    let target = out;
    let blocked = false;
    for (const part of parts.slice(0, -1)) {
      const next = target[part];
      if (next === undefined) target[part] = {};
      // `spec` already holds the whole spec when a sub-path of it is asked for as well.
      else if (typeof next !== 'object' || next === null) blocked = true;
      if (blocked) break;
      target = target[part] as Record<string, unknown>;
    }
    if (!blocked && target[parts[parts.length - 1]] === undefined) {
      // A copy of the selected value only (not of the whole app): nested paths are written
      // into the objects parent paths returned, which must not be the stored app's.
      target[parts[parts.length - 1]] = JSON.parse(JSON.stringify(value));
    }
  }
  return out;
}
