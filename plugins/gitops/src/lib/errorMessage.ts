import { ResponseError } from '@backstage/errors';

/**
 * What went wrong, in the backend's words: a `ResponseError`'s own message is only the HTTP
 * status ("Request failed with 403 Forbidden"), the reason is in the body.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof ResponseError)
    return error.body.error.message || error.message;
  return error instanceof Error ? error.message : String(error);
}
