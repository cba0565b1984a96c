import { InputError, NotFoundError } from '@backstage/errors';
import express, { type ErrorRequestHandler } from 'express';
import Router from 'express-promise-router';
import { createOpenApiRouter } from '../schema/openapi';
import { UnsupportedMediaTypeError, jsonBody } from './jsonBody';
import { compileEachPathOnce, validatorPathToRegexp } from './routePatterns';

/** The router generated from openapi.yaml. */
export type GitOpsApiRouter = express.Router;

interface ValidatorError extends Error {
  status?: number;
  errors?: Array<{ path?: string; message?: string; errorCode?: string }>;
}

/**
 * What the request validator found, as one 400 that names each bad field
 * (`body.resources.0.kind: must NOT have fewer than 1 characters`, `body.extra: unknown field`).
 * Backstage's default turns the validator's error into its bare summary, which for an unknown
 * property says only "request/body must NOT have additional properties".
 */
const namedFieldErrors: ErrorRequestHandler = (error, _req, _res, next) => {
  const e = error as ValidatorError;
  if (e.status === 415) {
    next(new UnsupportedMediaTypeError(e.message));
    return;
  }
  if (e.status === 404 || e.status === 405) {
    next(new NotFoundError(e.message));
    return;
  }
  const fields = (e.errors ?? []).map(item => {
    const field = (item.path ?? '').replace(/^\//, '').replace(/\//g, '.');
    const message = item.errorCode?.startsWith('additionalProperties')
      ? 'unknown field'
      : item.message;
    return field ? `${field}: ${message}` : String(message);
  });
  next(
    new InputError(
      fields.length > 0 ? `Invalid request: ${fields.join('; ')}` : e.message,
    ),
  );
};

/**
 * The generated router, behind JSON body parsing: a request without a body counts as `{}` in
 * JSON (so the document's body schema still applies), a body in any other media type is a 415
 * before validation, and the validator's errors name the fields they are about. Every request
 * to a documented route is validated (path, query and body); undocumented ones fall through to
 * Backstage's 404.
 */
export async function createGitOpsApiRouter(options?: {
  /** Middleware in front of everything else (the request tracking of `RequestActivity`). */
  first?: express.RequestHandler;
}): Promise<{
  router: express.Router;
  api: GitOpsApiRouter;
}> {
  // The validator finds each request's operation by compiling the document's paths.
  compileEachPathOnce(validatorPathToRegexp());
  const router = Router();
  if (options?.first) router.use(options.first);
  router.use(jsonBody('64kb'));
  const api = await createOpenApiRouter({
    // Bodies are parsed above, outside the generated router: its own error handler would turn
    // the 415 of a non-JSON body into a 400.
    middleware: [(_req, _res, next) => next()],
  });
  replaceErrorTransformer(api, namedFieldErrors);
  router.use(api);
  return { router, api };
}

/** Swaps the generated router's one error handler (the validator's) for `handler`. */
function replaceErrorTransformer(
  api: GitOpsApiRouter,
  handler: ErrorRequestHandler,
) {
  const stack = (api as unknown as { stack: Array<{ handle: Function }> })
    .stack;
  const errorHandlers = stack.filter(layer => layer.handle.length === 4);
  if (errorHandlers.length !== 1)
    throw new Error(
      `Expected one error handler in the generated OpenAPI router, found ${errorHandlers.length}`,
    );
  errorHandlers[0].handle = handler;
}
