import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { componentSchemas } from './openapi-schemas';

/**
 * The OpenAPI document, generated from the routes' metadata and their zod
 * schemas alone: it needs no database or Redis, so the console's build makes
 * it from an app that was never initialised (src/cli/openapi.ts). plainRoutes
 * documents routes Nest cannot see (front routes).
 */
export function openApiDocument(app: INestApplication, plainRoutes: Record<string, object>): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Dalaba')
    .setDescription(
      "A county's loudspeaker network: the daily 17:30 broadcast, the media pipeline, the device protocol, " +
        'emergency alerts and the civic-practice ledger. Every error answers with the Error shape.',
    )
    .setVersion('1')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'from POST /api/v1/auth/login' },
      'user',
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'the device token from POST /api/v1/devices/enroll' },
      'device',
    )
    .addCookieAuth(
      'dalaba_session',
      {
        type: 'apiKey',
        in: 'cookie',
        description:
          'the HttpOnly session cookie from POST /api/v1/auth/session; a request other than GET, HEAD or OPTIONS ' +
          'carried by it also sends its CSRF token as the x-csrf-token header',
      },
      'session',
    )
    .addCookieAuth(
      'dalaba_volunteer',
      {
        type: 'apiKey',
        in: 'cookie',
        description:
          'the HttpOnly volunteer card from POST /api/v1/public/villages/{posterCode}/volunteers; a request other ' +
          'than GET, HEAD or OPTIONS carried by it must send this site’s own Origin',
      },
      'volunteer',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.paths = { ...document.paths, ...plainRoutes };
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...componentSchemas() } };
  return document;
}

/** Serves the document: UI at /docs, JSON at /docs-json. */
export function serveOpenApi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}
