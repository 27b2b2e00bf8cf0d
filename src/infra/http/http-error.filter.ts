import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { toErrorBody, TooManyRequests } from './error-body';

/** Every failure leaves as the one error shape; 5xx are logged with their stack, which the client never sees. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendError(this.logger, exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}

/** The error body a failure answers with; a 5xx is logged with its stack, which the client never sees. */
export function failureBody(logger: Logger, exception: unknown, requestId: string) {
  const body = { ...toErrorBody(exception), requestId };
  if (body.statusCode >= 500) logger.error({ err: exception, reqId: requestId }, 'request failed');
  return body;
}

export function sendError(logger: Logger, exception: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const body = failureBody(logger, exception, String(request.id));
  if (exception instanceof TooManyRequests) reply.header('retry-after', String(exception.retryAfterSeconds));
  if (!reply.sent) reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
}
