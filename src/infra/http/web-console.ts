import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { PROJECT_ROOT } from '../project-root';

/** Where `npm run build` puts the console (vite's outDir in web/vite.config.ts). */
export const WEB_CONSOLE_DIR = join(PROJECT_ROOT, 'dist', 'web');

/**
 * Paths the server answers itself: a GET there that no route takes is the
 * server's 404 in the one error shape, never the console's page. The
 * renditions live under /media/ while /media itself is the console's media
 * page, so a reload there shows the page.
 */
const SERVER_PATHS = /^\/((api|docs|docs-json|docs-yaml|admin|health|assets)(\/|$)|media\/)/;

/**
 * Serves the console (web/) from the API process, so one `npm start` runs
 * everything and the page talks to its own origin (its session cookie is
 * SameSite=Strict). Hashed assets are cached for a year; the page itself is
 * revalidated, so a new build reaches operators on their next load. Any other
 * GET that wants HTML is a console route (/today, /rundown, …), answered with
 * the page, whose router takes it from there.
 */
export async function mountWebConsole(app: NestFastifyApplication, logger: Logger, dir = WEB_CONSOLE_DIR) {
  const indexFile = join(dir, 'index.html');
  if (!existsSync(indexFile)) {
    logger.warn({ dir }, 'the web console is not built (npm run build builds it); serving the API only');
    return;
  }
  const page = readFileSync(indexFile);
  await app.register(fastifyStatic, {
    root: join(dir, 'assets'),
    prefix: '/assets/',
    wildcard: false,
    index: false,
    immutable: true,
    maxAge: '365d',
    // The files are compressed once at build time, not per request.
    preCompressed: true,
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/*', (request, reply) => {
    const path = request.url.split('?')[0];
    if (SERVER_PATHS.test(path) || !request.headers.accept?.includes('text/html')) {
      return reply.callNotFound();
    }
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(page);
  });
}
