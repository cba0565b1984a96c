import { CustomErrorBase } from '@backstage/errors';
import express, { type RequestHandler } from 'express';

/** A request body in a media type the route does not take; answered with 415. */
export class UnsupportedMediaTypeError extends CustomErrorBase {
  name = 'UnsupportedMediaTypeError' as const;
  /** Read by Backstage's error middleware as the response status. */
  readonly statusCode = 415;
}

/**
 * Parses JSON bodies, and refuses every other body with 415: a body sent as `text/plain` or
 * form data is not silently skipped (and the route's defaults used instead of what the caller
 * sent). A request without a body (none, or `Content-Length: 0`) passes as `{}`.
 */
export function jsonBody(limit: string): RequestHandler[] {
  const parse = express.json({ limit });
  return [
    (req, res, next) => {
      const length = Number(req.headers['content-length'] ?? 0);
      const hasBody =
        req.headers['transfer-encoding'] !== undefined || length > 0;
      if (hasBody && req.is('application/json') !== 'application/json') {
        next(
          new UnsupportedMediaTypeError(
            `Request bodies must be JSON (Content-Type: application/json), not ${
              req.headers['content-type'] || 'untyped'
            }`,
          ),
        );
        return;
      }
      if (hasBody) {
        parse(req, res, next);
        return;
      }
      // The request validator checks a body's media type before its schema; a request
      // without one is an empty JSON object, so the schema decides (`{}` or a 400 naming
      // the required fields).
      req.headers['content-type'] = 'application/json';
      // What the parser makes of no body, without its work: every GET (each card view) is one.
      req.body = req.body || {};
      next();
    },
  ];
}
