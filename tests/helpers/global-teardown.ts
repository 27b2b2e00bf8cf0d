import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import { dropDatabase, onServer, REDIS_URL, RUN_ENV, TEMPLATE_ENV } from './databases';

/**
 * Drops the template, then fails the run if any test left something behind:
 * a process, a database, Redis keys or a temporary file of this run. They are
 * removed either way, and named, so the test that leaked them can be found.
 */
export default async function globalTeardown(): Promise<void> {
  const template = process.env[TEMPLATE_ENV];
  if (template) await dropDatabase(template);
  const run = process.env[RUN_ENV];
  if (!run) return;

  const leftovers: string[] = [];
  for (const { pid, command } of processesOfRun(run)) {
    leftovers.push(`process ${pid} ${command}`);
    process.kill(pid, 'SIGKILL');
  }

  const databases = await onServer(async (client) =>
    (
      await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE strpos(datname, $1) > 0', [
        `_${run}_`,
      ])
    ).rows.map((row) => row.datname),
  );
  for (const name of databases) {
    leftovers.push(`database ${name}`);
    await dropDatabase(name);
  }

  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    const keys = await redis.keys(`*_${run}_*`);
    const prefixes = new Set(keys.map((key) => key.split(':')[0]));
    for (const prefix of prefixes)
      leftovers.push(`Redis keys ${prefix}:* (${keys.filter((key) => key.startsWith(`${prefix}:`)).length})`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }

  const temporary = process.env.TMPDIR!;
  // espeak-ng's audio library makes a PulseAudio runtime folder (pulse-*) in TMPDIR when the
  // environment names none (as in CI); it is the tool's, not a test's, and is removed with the rest.
  for (const name of readdirSync(temporary)) if (!name.startsWith('pulse-')) leftovers.push(`temporary ${name}`);
  rmSync(temporary, { recursive: true, force: true });

  if (leftovers.length) throw new Error(`The test run left behind (now removed):\n  ${leftovers.join('\n  ')}`);
}

/**
 * Processes the tests started, still running: their environment names the run
 * (a key prefix or database carries it, or DALABA_TEST_RUN was inherited).
 * jest's own workers inherit it too and are not leftovers.
 */
function processesOfRun(run: string): Array<{ pid: number; command: string }> {
  const found: Array<{ pid: number; command: string }> = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const environment = readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (!environment.includes(`_${run}_`) && !environment.includes(`${RUN_ENV}=${run}\0`)) continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      if (!command.includes('jest')) found.push({ pid, command });
    } catch {
      // exited meanwhile, or not ours to read
    }
  }
  return found;
}
