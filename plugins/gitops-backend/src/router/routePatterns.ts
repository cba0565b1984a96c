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
 * options alone, so it is compiled once and reused; each caller gets its own `keys` array
 * and the shared regexp, which has neither the `g` nor the `y` flag, so `exec` keeps no
 * state in it. Paths that are not strings, options with other than primitive values, and
 * paths beyond {@link MAX_CACHED_PATHS} are compiled every time, as before.
 */
export function compileEachPathOnce(module: PathToRegexpModule): void {
  const compile = module.pathToRegexp;
  if ((compile as { [CACHED]?: boolean })[CACHED]) return;
  const compiled = new Map<string, CompiledPath>();
  const cached = (pattern: unknown, options: Record<string, unknown> = {}) => {
    const key = cacheKey(pattern, options);
    if (key === undefined) return compile(pattern, options);
    let result = compiled.get(key);
    if (!result) {
      result = compile(pattern, options);
      if (result.regexp.global || result.regexp.sticky) return result;
      if (compiled.size < MAX_CACHED_PATHS) compiled.set(key, result);
    }
    return { regexp: result.regexp, keys: [...result.keys] };
  };
  Object.defineProperty(cached, CACHED, { value: true });
  module.pathToRegexp = cached;
}

function cacheKey(
  pattern: unknown,
  options: Record<string, unknown>,
): string | undefined {
  if (typeof pattern !== 'string') return undefined;
  let key = pattern;
  for (const name of Object.keys(options).sort()) {
    const value = options[name];
    if (value !== undefined && value !== null && typeof value === 'object')
      return undefined;
    if (typeof value === 'function' || typeof value === 'symbol')
      return undefined;
    key += `\n${name}=${typeof value}:${String(value)}`;
  }
  return key;
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
