import type {
  ArgoCdErrorBody,
  ArgoCdStreamError,
} from '@kupe/plugin-gitops-node';

/**
 * gRPC status codes the fake emits (google.golang.org/grpc/codes).
 *
 * @public
 */
export const GrpcCode = {
  Unknown: 2,
  InvalidArgument: 3,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  FailedPrecondition: 9,
  Aborted: 10,
  Internal: 13,
  Unavailable: 14,
  Unauthenticated: 16,
} as const;

/** grpc-gateway v1.16 `HTTPStatusFromCode`: FailedPrecondition is 400 there, not 412. */
const HTTP_STATUS_OF_CODE: Record<number, number> = {
  0: 200,
  1: 408,
  2: 500,
  3: 400,
  4: 504,
  5: 404,
  6: 409,
  7: 403,
  8: 429,
  9: 400,
  10: 409,
  11: 400,
  12: 501,
  13: 500,
  14: 503,
  15: 500,
  16: 401,
};

const HTTP_STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * The HTTP status grpc-gateway answers for a gRPC status code, as Argo CD's REST API does.
 *
 * @public
 */
export function httpStatusOfGrpcCode(code: number): number {
  return HTTP_STATUS_OF_CODE[code] ?? 500;
}

/**
 * An Argo CD API error: thrown inside the fake, rendered as grpc-gateway renders it.
 *
 * @public
 */
export class ArgoCdApiError extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.name = 'ArgoCdApiError';
    this.code = code;
  }

  get httpStatus(): number {
    return httpStatusOfGrpcCode(this.code);
  }

  toBody(): ArgoCdErrorBody {
    return { error: this.message, code: this.code, message: this.message };
  }

  /** The `runtimeStreamError` payload written as the last line of a broken stream. */
  toStreamError(): ArgoCdStreamError {
    const httpCode = this.httpStatus;
    return {
      grpc_code: this.code,
      http_code: httpCode,
      message: this.message,
      http_status: HTTP_STATUS_TEXT[httpCode] ?? 'Internal Server Error',
    };
  }

  toResponse(): Response {
    return jsonResponse(this.toBody(), this.httpStatus);
  }
}

/** `common.PermissionDeniedAPIError`: deliberately without detail so existence is not leaked. */
export const permissionDenied = () =>
  new ArgoCdApiError(GrpcCode.PermissionDenied, 'permission denied');

export const applicationNotFound = (name: string) =>
  new ArgoCdApiError(
    GrpcCode.NotFound,
    `applications.argoproj.io "${name}" not found`,
  );

export const projectNotFound = (name: string) =>
  new ArgoCdApiError(
    GrpcCode.NotFound,
    `appprojects.argoproj.io "${name}" not found`,
  );

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

export function textResponse(body: string, status: number): Response {
  return new Response(body, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  });
}
