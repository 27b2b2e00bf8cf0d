import { defineConfig } from 'prisma/config';

// Used by the ordinary `prisma` commands on machines that can download the
// native schema engine; the project's own scripts (scripts/db.cjs) do the same
// work offline. The URL is only needed for migrate commands, never to generate.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? '' },
});
