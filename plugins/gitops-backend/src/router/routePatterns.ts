import path from 'node:path';

/** What `pathToRegexp` of path-to-regexp 8 returns. */
interface CompiledPath {
  regexp: RegExp;
  keys: unknown[];
}

/** A module exporting path-to-regexp's `pathToRegexp`. */
export interface PathToRegexpModule {
  pathToRegexp: (path: any, options?: any) => CompiledPath;
}

const CACHED = Symbol.for('@kupe/plugin-gitops-backend/cachedPathToRegexp');

/**
 * At most this many compiled paths are kept: the validator only compiles the document's
 * routes, so this is never reached by it; another caller with ever new paths compiles them
 * as before once it is.
 */
const MAX_CACHED_PATHS = 1000;

/**
 * Makes `module.pathToRegexp` compile each (path, options) once. Idempotent.
 *
 * express-openapi-validator, behind Backstage's `createValidatedOpenApiRouter`, finds the
 * operation of every request by compiling the document's paths with `pathToRegexp`, one
 * after another until one matches (`lookupRoute` in its `openapi.metadata.js`; upstream
 * cdimascio/express-openapi-validator#1217 would cache them, unmerged): about 4% of the
 * backend's CPU on an entity view. A compiled path is a function of the path and the
 * options alone, so it is compiled once and the same frozen answer is returned to every
 * caller: its regexp has neither the `g` nor the `y` flag, so `exec` keeps no state in it.
 * A lookup allocates nothing. Paths that are not strings, options other than the boolean
 * ones (a `delimiter`, an `encodePath`), and paths beyond {@link MAX_CACHED_PATHS} are
 * compiled every time, as before.
 */
export function compileEachPathOnce(module: PathToRegexpModule): void {
  const compile = module.pathToRegexp;
  if ((compile as { [CACHED]?: boolean })[CACHED]) return;
  // Per path, the compilation of each combination of the boolean options.
  const compiled = new Map<string, Array<CompiledPath | undefined>>();
  const cached = (pattern: unknown, options?: Record<string, unknown>) => {
    const flags = typeof pattern === 'string' ? booleanFlags(options) : -1;
    if (flags < 0) return compile(pattern, options);
    let byFlags = compiled.get(pattern as string);
    let result = byFlags?.[flags];
    if (!result) {
      result = compile(pattern, options);
      if (result.regexp.global || result.regexp.sticky) return result;
      result = Object.freeze({
        regexp: result.regexp,
        keys: Object.freeze([...result.keys]) as unknown[],
      });
      if (!byFlags && compiled.size < MAX_CACHED_PATHS) {
        byFlags = [];
        compiled.set(pattern as string, byFlags);
      }
      if (byFlags) byFlags[flags] = result;
    }
    return result;
  };
  Object.defineProperty(cached, CACHED, { value: true });
  module.pathToRegexp = cached;
}

/**
 * The options as one number, a bit per boolean option that differs from its default (`end`
 * and `trailing` default to true, `sensitive` and `strict` to false), or -1 when they are not
 * all booleans or left out, or set a `delimiter` or an `encodePath`: everything
 * path-to-regexp 8's `pathToRegexp` reads of them.
 */
function booleanFlags(options: Record<string, unknown> | undefined): number {
  if (!options) return 0;
  if (options.delimiter !== undefined || options.encodePath !== undefined)
    return -1;
  const end = flag(options.end, true, 1);
  const sensitive = flag(options.sensitive, false, 2);
  const strict = flag(options.strict, false, 4);
  const trailing = flag(options.trailing, true, 8);
  if (end < 0 || sensitive < 0 || strict < 0 || trailing < 0) return -1;
  return end | sensitive | strict | trailing;
}

/** `bit` when a boolean option differs from its default, 0 when it does not, else -1. */
function flag(value: unknown, byDefault: boolean, bit: number): number {
  if (value === undefined || value === byDefault) return 0;
  return typeof value === 'boolean' ? bit : -1;
}

/**
 * The path-to-regexp module express-openapi-validator itself loads: resolved from the
 * validator's folder, which is resolved from Backstage's OpenAPI utilities (the dependency
 * this plugin declares), so that it is the very module instance the validator calls.
 */
export function validatorPathToRegexp(): PathToRegexpModule {
  const validator = require.resolve('express-openapi-validator', {
    paths: [path.dirname(require.resolve('@backstage/backend-openapi-utils'))],
  });
  const resolved = require.resolve('path-to-regexp', {
    paths: [path.dirname(validator)],
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(resolved);
}
