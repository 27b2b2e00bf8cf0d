import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RawServerDefault } from 'fastify';
import { MAX_INPUT_DEPTH } from './validation';

/** How deep the arrays and objects of a JSON text nest, counted without parsing it; stops counting past `limit`. */
export function jsonNesting(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c)
        i++; // backslash: the next character is escaped
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x5b || char === 0x7b) {
      deepest = Math.max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if (char === 0x5d || char === 0x7d) {
      depth--;
    }
  }
  return deepest;
}

/**
 * Fastify's JSON parser (prototype poisoning refused, as by default) behind a
 * nesting check: a body nested thousands deep is a 400 before it becomes an
 * object that validation, logging or Postgres would choke on. Called before
 * the app is initialised, so that Nest does not register its own.
 */
export function limitJsonNesting(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parse = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>('application/json', { bodyLimit }, (request, body, done) => {
    const text = body.toString('utf8');
    if (jsonNesting(text, MAX_INPUT_DEPTH) > MAX_INPUT_DEPTH) {
      done(
        Object.assign(new Error(`The JSON body is nested more than ${MAX_INPUT_DEPTH} levels deep`), {
          statusCode: 400,
        }),
        undefined,
      );
      return;
    }
    // The default parser answers through `done`; its type also admits the
    // promise-returning style of parser, which this one is not.
    void parse(request, text, done);
  });
}
