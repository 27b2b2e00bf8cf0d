import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { componentSchemas } from './openapi-schemas';

/**
 * OpenAPI generated from the routes and their zod schemas: UI at /docs, JSON at
 * /docs-json. plainRoutes documents routes Nest cannot see (front routes).
 */
export function setupOpenApi(app: INestApplication, plainRoutes: Record<string, object>): void {
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
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.paths = { ...document.paths, ...plainRoutes };
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...componentSchemas() } };
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}
