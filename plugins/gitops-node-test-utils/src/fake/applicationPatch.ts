import type { Application } from '@kupe/plugin-gitops-node';
import { ArgoCdApiError, GrpcCode } from './errors';

/** The body of `PATCH /api/v1/applications/{name}` (swagger `applicationApplicationPatchRequest`). */
export interface ApplicationPatchRequest {
  name?: string;
  patch?: string;
  patchType?: string;
  project?: string;
  appNamespace?: string;
}

/**
 * `ApplicationService.Patch` of Argo CD v3.5.1 (`server/application/application.go`), the part
 * after the RBAC checks: the stored Application is marshalled, the request's patch applied to
 * it as a JSON patch (`patchType` `json` or empty) or a JSON merge patch (`merge`), and the
 * result read back as an Application. Failures answer as Argo CD's do: an unknown patch type
 * is InvalidArgument (400); a patch that does not parse or apply is a plain Go error, so gRPC
 * Unknown (500), with Argo CD's wording.
 */
export function patchApplicationObject(
  app: Application,
  body: Partial<ApplicationPatchRequest>,
): Application {
  const patchType = typeof body.patchType === 'string' ? body.patchType : '';
  const text = typeof body.patch === 'string' ? body.patch : '';
  const current: unknown = JSON.parse(JSON.stringify(app));
  let patched: unknown;
  if (patchType === 'json' || patchType === '') {
    let operations: unknown;
    try {
      operations = JSON.parse(text);
    } catch (error) {
      throw unknownError(`error decoding json patch: ${syntaxMessage(error)}`);
    }
    if (!Array.isArray(operations)) {
      throw unknownError(
        'error decoding json patch: json: cannot unmarshal object into Go value of type jsonpatch.Patch',
      );
    }
    patched = applyJsonPatch(current, operations);
  } else if (patchType === 'merge') {
    let patch: unknown;
    try {
      patch = JSON.parse(text);
    } catch {
      // evanphx/json-patch's errBadJSONPatch
      throw unknownError('error calculating merge patch: Invalid JSON Patch');
    }
    patched = mergePatch(current, patch);
  } else {
    throw new ArgoCdApiError(
      GrpcCode.InvalidArgument,
      `Patch type '${patchType}' is not supported`,
    );
  }
  return readApplication(patched);
}

/** RFC 7386: objects merge key by key, `null` removes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** RFC 6902 (add, remove, replace, move, copy, test) on a JSON document. */
function applyJsonPatch(document: unknown, operations: unknown[]): unknown {
  let doc = document;
  for (const operation of operations) {
    if (!isObject(operation) || typeof operation.op !== 'string') {
      throw unknownError('error applying patch: Unexpected kind: unknown');
    }
    const path = pointer(operation.path);
    switch (operation.op) {
      case 'add':
        doc = setAt(doc, path, operation.value, 'add');
        break;
      case 'replace':
        getAt(doc, path, 'replace');
        doc = setAt(doc, path, operation.value, 'replace');
        break;
      case 'remove':
        doc = removeAt(doc, path);
        break;
      case 'move': {
        const from = pointer(operation.from);
        const value = getAt(doc, from, 'move');
        doc = setAt(removeAt(doc, from), path, value, 'add');
        break;
      }
      case 'copy':
        doc = setAt(
          doc,
          path,
          structuredClone(getAt(doc, pointer(operation.from), 'copy')),
          'add',
        );
        break;
      case 'test':
        if (
          JSON.stringify(getAt(doc, path, 'test')) !==
          JSON.stringify(operation.value)
        ) {
          throw unknownError(
            `error applying patch: testing value /${path.join(
              '/',
            )} failed: test failed`,
          );
        }
        break;
      default:
        throw unknownError(
          `error applying patch: Unexpected kind: ${operation.op}`,
        );
    }
  }
  return doc;
}

function pointer(value: unknown): string[] {
  if (typeof value !== 'string' || (value !== '' && !value.startsWith('/'))) {
    throw unknownError('error applying patch: operation missing path');
  }
  return value
    .split('/')
    .slice(1)
    .map(part => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function missing(op: string, path: string[]): ArgoCdApiError {
  return unknownError(
    `error applying patch: ${op} operation does not apply: doc is missing path: "/${path.join(
      '/',
    )}": missing value`,
  );
}

function getAt(doc: unknown, path: string[], op: string): unknown {
  let node = doc;
  for (const part of path) {
    if (Array.isArray(node) && /^\d+$/.test(part) && Number(part) < node.length)
      node = node[Number(part)];
    else if (isObject(node) && part in node) node = node[part];
    else throw missing(op, path);
  }
  return node;
}

function setAt(
  doc: unknown,
  path: string[],
  value: unknown,
  op: 'add' | 'replace',
): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(doc);
  const parent = getAt(copy, path.slice(0, -1), op);
  const last = path[path.length - 1];
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!/^(\d+|-)$/.test(last) || index > parent.length)
      throw missing(op, path);
    if (op === 'add') parent.splice(index, 0, value);
    else parent[index] = value;
  } else if (isObject(parent)) {
    parent[last] = value;
  } else {
    throw missing(op, path);
  }
  return copy;
}

function removeAt(doc: unknown, path: string[]): unknown {
  getAt(doc, path, 'remove');
  const copy = structuredClone(doc);
  const parent = getAt(copy, path.slice(0, -1), 'remove');
  const last = path[path.length - 1];
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (isObject(parent)) delete parent[last];
  return copy;
}

/** `json.Unmarshal(patchApp, newApp)`: the shapes an Application's parts must keep. */
function readApplication(value: unknown): Application {
  const typeError = (field: string, got: string) =>
    unknownError(
      `error unmarshaling patched app: json: cannot unmarshal ${got} into Go struct field ${field}`,
    );
  if (!isObject(value)) throw typeError('Application', kindOf(value));
  for (const field of ['metadata', 'spec', 'status'] as const) {
    const part = value[field];
    if (part !== undefined && part !== null && !isObject(part))
      throw typeError(`Application.${field}`, kindOf(part));
  }
  const metadata = (value.metadata ?? {}) as Record<string, unknown>;
  for (const field of ['labels', 'annotations'] as const) {
    const map = metadata[field];
    if (map === undefined || map === null) continue;
    if (
      !isObject(map) ||
      Object.values(map).some(entry => typeof entry !== 'string')
    )
      throw typeError(`Application.metadata.${field}`, kindOf(map));
  }
  return value as unknown as Application;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'object' : typeof value;
}

function syntaxMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function unknownError(message: string): ArgoCdApiError {
  return new ArgoCdApiError(GrpcCode.Unknown, message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
