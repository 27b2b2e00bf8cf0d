import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from '../app.module';
import { apiDocument } from '../app';
import { loadConfig } from '../infra/config/config';

// `npm run openapi -- <file>`: writes the OpenAPI document the app serves at
// /docs-json, for the console's build to generate its API types from. The
// document comes from the routes' metadata alone, so the modules are only
// resolved (preview), never initialised: nothing connects to Postgres or
// Redis, and the environment is not read (these addresses are never dialled).

async function main(): Promise<void> {
  const [file] = process.argv.slice(2);
  if (!file) throw new Error('usage: node dist/cli/openapi.js <file.json>');
  const config = loadConfig({
    DATABASE_URL: 'postgresql://unused@127.0.0.1:1/unused',
    REDIS_URL: 'redis://127.0.0.1:1',
    JWT_SECRET: randomBytes(32).toString('hex'),
  });
  const app = await NestFactory.create(AppModule.forConfig(config), new FastifyAdapter(), {
    preview: true,
    abortOnError: false,
    logger: false,
  });
  writeFileSync(file, `${JSON.stringify(apiDocument(app), null, 2)}\n`);
  await app.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
