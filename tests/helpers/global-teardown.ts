import { readdirSync, rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import { dropDatabase, onServer, REDIS_URL, RUN_ENV, TEMPLATE_ENV } from './databases';

/**
 * Drops the template, then fails the run if any test left something behind:
 * a database, Redis keys or a temporary file named for this run. They are
 * removed either way, and named, so the test that leaked them can be found.
 */
export default async function globalTeardown(): Promise<void> {
  const template = process.env[TEMPLATE_ENV];
  if (template) await dropDatabase(template);
  const run = process.env[RUN_ENV];
  if (!run) return;

  const leftovers: string[] = [];
  const databases = await onServer(async (client) =>
    (await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE strpos(datname, $1) > 0', [`_${run}_`])).rows.map((row) => row.datname),
  );
  for (const name of databases) {
    leftovers.push(`database ${name}`);
    await dropDatabase(name);
  }

  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    const keys = await redis.keys(`*_${run}_*`);
    const prefixes = new Set(keys.map((key) => key.split(':')[0]));
    for (const prefix of prefixes) leftovers.push(`Redis keys ${prefix}:* (${keys.filter((key) => key.startsWith(`${prefix}:`)).length})`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }

  const temporary = process.env.TMPDIR!;
  for (const name of readdirSync(temporary)) leftovers.push(`temporary ${name}`);
  rmSync(temporary, { recursive: true, force: true });

  if (leftovers.length) throw new Error(`The test run left behind (now removed):\n  ${leftovers.join('\n  ')}`);
}
