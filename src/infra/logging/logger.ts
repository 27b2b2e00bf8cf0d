import { AsyncLocalStorage } from 'node:async_hooks';
import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger, type LevelWithSilent, type LoggerOptions } from 'pino';

/** The request being served, so every log line written on its behalf carries its id. */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

/** JSON lines to stdout, or to the given stream (tests read what the service logged). */
export function createRootLogger(level: LevelWithSilent, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    base: { service: 'dalaba', pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Fastify's request logger already binds reqId; a second one would be a duplicate key on the line.
    mixin: (_object, _level, logger) => {
      const context = requestContext.getStore();
      return context && !('reqId' in logger.bindings()) ? { reqId: context.requestId } : {};
    },
    redact: {
      paths: ['req.headers.authorization', 'password', '*.password', 'token', '*.token'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Nest's start-up chatter: a line per controller and route, of use when debugging routing only. */
const ROUTE_LISTING = new Set(['RoutesResolver', 'RouterExplorer']);

/** Nest's logger interface over pino, so framework and application lines share one JSON stream. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string) {
    if (context && ROUTE_LISTING.has(context)) this.logger.debug({ context }, String(message));
    else this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
  fatal(message: unknown, context?: string) {
    this.logger.fatal({ context }, String(message));
  }
}
