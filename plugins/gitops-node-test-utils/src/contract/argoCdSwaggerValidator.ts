import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';

/** Argo CD v3.5.1's swagger (see `src/__fixtures__/argocd/NOTICE.md`). */
const SWAGGER_PATH = resolve(
  // This package runs from its sources only (private, `main` is src/index.ts, never bundled).
  // eslint-disable-next-line no-restricted-syntax
  __dirname,
  '../__fixtures__/argocd/argocd-swagger.json',
);

/**
 * Swagger 2.0 leaves some int64 fields as `string` + `format: int64` (protobuf's JSON
 * mapping), but Argo CD marshals with Go's encoding/json, which writes numbers. Accept both so
 * the schema checks what the wire carries.
 */
function fixInt64(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(fixInt64);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = fixInt64(v);
  if (
    (out.format === 'int64' || out.format === 'uint64') &&
    out.type === 'string'
  ) {
    out.type = ['integer', 'string'];
  }
  return out;
}

const FORMATS = {
  'date-time': /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/,
  int32: true,
  int64: true,
  uint64: true,
  byte: true,
  double: true,
  float: true,
} as const;

/**
 * Validates JSON values against the definitions of Argo CD v3.5.1's swagger, e.g.
 * `validate('v1alpha1Application', body)`. Returns the ajv errors, empty when valid.
 *
 * @public
 */
export class ArgoCdSwaggerValidator {
  readonly #ajv: Ajv;
  readonly #cache = new Map<string, ValidateFunction>();

  constructor() {
    const swagger = JSON.parse(readFileSync(SWAGGER_PATH, 'utf8')) as {
      definitions: Record<string, unknown>;
    };
    this.#ajv = new Ajv({ strict: false, allErrors: true, formats: FORMATS });
    this.#ajv.addSchema({
      $id: 'swagger',
      definitions: fixInt64(swagger.definitions),
    });
  }

  /** The errors of `value` against the swagger definition `definition` (none when valid). */
  validate(definition: string, value: unknown): string[] {
    let fn = this.#cache.get(definition);
    if (!fn) {
      fn = this.#ajv.compile({ $ref: `swagger#/definitions/${definition}` });
      this.#cache.set(definition, fn);
    }
    return fn(value)
      ? []
      : (fn.errors ?? []).map(
          e => `${e.instancePath || '/'} ${e.message ?? ''}`,
        );
  }
}
