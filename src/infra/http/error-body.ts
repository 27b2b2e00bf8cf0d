import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';
import { z } from 'zod';
import { named } from './openapi-schemas';

/** The one error shape every route answers with, whatever failed. */
export const ErrorBody = named(
  'Error',
  z.object({
    statusCode: z.number().int().describe('the HTTP status, repeated'),
    error: z.string().describe('the HTTP reason phrase, e.g. "Bad Request"'),
    message: z.string().describe('what went wrong, for a person'),
    details: z
      .array(z.object({ path: z.string(), message: z.string() }).catchall(z.unknown()))
      .optional()
      .describe('one entry per invalid field or line, for validation failures'),
    requestId: z.string().optional().describe('quote this when reporting a problem; it is in the server logs'),
  }),
);
export type ErrorBody = z.infer<typeof ErrorBody>;
export type ErrorDetail = NonNullable<ErrorBody['details']>[number];

/** An HTTP error that carries per-field or per-line details. */
export class ApiError extends HttpException {
  constructor(
    status: number,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message, status);
  }
}

/** 429: the caller should wait `retryAfterSeconds`, which the response says in `Retry-After`. */
export class TooManyRequests extends ApiError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, message);
  }
}

export const badRequest = (message: string, details?: ErrorDetail[]) => new ApiError(400, message, details);

interface FrameworkError {
  statusCode?: number;
  code?: string;
  message?: string;
}

/** Maps anything thrown while serving a request to the error shape; unknown failures become a bare 500. */
export function toErrorBody(exception: unknown): ErrorBody {
  let statusCode = 500;
  let message = 'Internal server error';
  let details: ErrorDetail[] | undefined;
  if (exception instanceof HttpException) {
    statusCode = exception.getStatus();
    const response = exception.getResponse();
    const raw = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    // A custom exception's message can be anything; String() is the last resort.
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    message = Array.isArray(raw) ? raw.join('; ') : String(raw ?? exception.message);
    details = exception instanceof ApiError ? exception.details : undefined;
  } else {
    // Fastify's own errors (body too large, bad JSON, unsupported content type) carry a 4xx statusCode.
    const framework = exception as FrameworkError;
    if (
      framework &&
      typeof framework.statusCode === 'number' &&
      framework.statusCode >= 400 &&
      framework.statusCode < 500
    ) {
      statusCode = framework.statusCode;
      message = framework.message ?? STATUS_CODES[statusCode] ?? 'Bad request';
    }
  }
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, ...(details ? { details } : {}) };
}
