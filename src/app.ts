import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import fastifyMultipart from '@fastify/multipart';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { AccessRegistry } from './auth/access.registry';
import { AuthService } from './auth/auth.service';
import { dashboardGate } from './auth/dashboard-gate';
import { DashboardSessions } from './auth/dashboard-sessions';
import { LoginThrottle } from './auth/login-throttle';
import type { AppConfig } from './infra/config/config';
import { CAP_CONTENT_TYPES } from './emergencies/emergencies.controller';
import { EBD_TAR_CONTENT_TYPES, leaveTarUnread } from './ebd/ebd-exchange.controller';
import { CAP_MAX_BYTES } from './emergencies/domain/cap/decode';
import { DeviceProtocolService } from './endpoints/device-protocol.service';
import { DEVICE_PLAYLIST_PATH, devicePlaylistOpenApi, devicePlaylistRoute } from './endpoints/device-playlist.route';
import { FrontRoutes, requestIdOf } from './infra/http/front-routes';
import { securityHeaders } from './infra/http/security-headers';
import { tileOrigins } from './infra/config/endpoints-config';
import { mediaOrigins } from './infra/config/media-config';
import { HttpErrorFilter } from './infra/http/http-error.filter';
import { limitJsonNesting } from './infra/http/json-body';
import { openApiDocument, serveOpenApi } from './infra/http/openapi';
import { TrustedProxies } from './infra/http/trusted-proxies';
import { mountWebConsole } from './infra/http/web-console';
import { PinoNestLogger, requestContext } from './infra/logging/logger';
import { timedFrontRoute, timeRequests } from './infra/metrics/http-metrics';
import { Metrics } from './infra/metrics/metrics';
import { MetricsEndpoint } from './infra/metrics/metrics-endpoint';
import { JobQueue } from './infra/queue/job-queue.service';
import { mountQueueDashboard } from './infra/queue/queue-dashboard';
import { UsersService } from './users/users.service';
import { LiveIngest } from './live/live-ingest';

const JSON_BODY_LIMIT = 1024 * 1024;

/** The HTTP application (roles `api` and `all`), initialised but not yet listening. */
export async function createHttpApp(config: AppConfig, logger: Logger): Promise<NestFastifyApplication> {
  const proxies = new TrustedProxies(config.http.trustedProxies);
  const frontRoutes = new FrontRoutes(
    config.http,
    proxies,
    securityHeaders(tileOrigins(config.endpoints.mapTiles), mediaOrigins(config.media.storage)),
  );
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    genReqId: (request: { headers: Record<string, string | string[] | undefined> }) => requestIdOf(request.headers),
    serverFactory: frontRoutes.serverFactory,
    trustProxy: proxies.none ? false : proxies.trusts,
    bodyLimit: JSON_BODY_LIMIT,
  });
  const fastify = adapter.getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    requestContext.run({ requestId: String(request.id) }, done);
  });
  fastify.addContentTypeParser(
    CAP_CONTENT_TYPES,
    { parseAs: 'buffer', bodyLimit: CAP_MAX_BYTES },
    (_request, body, done) => done(null, body),
  );
  fastify.addContentTypeParser(EBD_TAR_CONTENT_TYPES, leaveTarUnread);
  fastify.addContentTypeParser(
    'text/csv',
    { parseAs: 'string', bodyLimit: config.regions.importMaxBytes },
    (_request, body, done) => done(null, body),
  );

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forConfig(config), adapter, {
    logger: new PinoNestLogger(logger),
  });
  limitJsonNesting(app, JSON_BODY_LIMIT);
  const metrics = app.get(Metrics);
  timeRequests(fastify, metrics);
  app.get(MetricsEndpoint).mountOn(fastify);
  // Uploads are streamed by the media module; the limits here stop a body that breaks them.
  await app.register(fastifyMultipart, { limits: { fileSize: config.media.maxBytes, files: 1 } });
  const dashboardSignIn = {
    auth: app.get(AuthService),
    throttle: app.get(LoginThrottle),
    sessions: app.get(DashboardSessions),
  };
  await mountQueueDashboard(app, app.get(JobQueue).all(), dashboardGate(dashboardSignIn, config, logger));
  await mountWebConsole(app, logger);
  const playlistRoute = devicePlaylistRoute(app.get(AccessRegistry), app.get(DeviceProtocolService), logger);
  frontRoutes.add(timedFrontRoute(metrics, DEVICE_PLAYLIST_PATH, playlistRoute));
  app.get(LiveIngest).attach(app.getHttpServer());
  app.useGlobalFilters(new HttpErrorFilter(logger));
  app.enableShutdownHooks();
  if (config.http.docsPublic) serveOpenApi(app, apiDocument(app));
  await app.init();
  await app.get(UsersService).ensureAdmin();
  return app;
}

/** The OpenAPI document of the app's routes, the ones Nest cannot see included (the same whether or not the app was initialised). */
export function apiDocument(app: INestApplication): OpenAPIObject {
  return openApiDocument(app, devicePlaylistOpenApi());
}

/** A process of role `worker`: queues and schedules, no HTTP. */
export async function createWorkerContext(config: AppConfig, logger: Logger): Promise<INestApplicationContext> {
  const context = await NestFactory.createApplicationContext(AppModule.forConfig(config), {
    logger: new PinoNestLogger(logger),
  });
  context.enableShutdownHooks();
  return context;
}
