import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import type { PlaylistCompiler } from '../src/scheduling/playlist-compiler';
import { inParallel } from './bench-kit';

// A realistic schedule for every county of a bench database, and the nightly
// compile of one day over all of them: shared by bench:compile and
// bench:province.

const CLIP_MS = 120_000;

/** Peak resident memory, sampled while a step runs. */
export function trackPeakMemory(): () => number {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss);
  };
}

export const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/**
 * What operators schedule, written straight into the database: a two-minute
 * programme every evening for each county, its first five townships and
 * every 25th village (by code). Answers the admin user and the programme, and
 * how many daily broadcasts there are.
 */
export async function scheduleDaily(
  db: Client,
  countyCodes: string[],
  from: string,
): Promise<{ user: string; programme: string; broadcasts: number }> {
  const user = randomUUID();
  await db.query(`INSERT INTO app_user (id, username, password_hash, role) VALUES ($1, 'bench', 'x', 'admin')`, [user]);
  const media = randomUUID();
  await db.query(
    `INSERT INTO media (id, title, status, source, created_by_id, sha256, bytes, duration_ms, updated_at) VALUES ($1, 'clip', 'ready', 'upload', $2, $3, 960000, $4, now())`,
    [media, user, 'a'.repeat(64), CLIP_MS],
  );
  const programme = randomUUID();
  await db.query(
    `INSERT INTO programme (id, title, category, duration_ms, created_by_id) VALUES ($1, '天空课堂', 'core_values', $2, $3)`,
    [programme, CLIP_MS, user],
  );
  await db.query(`INSERT INTO programme_segment (programme_id, position, media_id) VALUES ($1, 0, $2)`, [
    programme,
    media,
  ]);
  // One statement: the targets, a broadcast for each, and its target row (foreign keys are checked at its end).
  const { rowCount } = await db.query(
    `WITH ranked AS (
       SELECT code, level, county_code, row_number() OVER (PARTITION BY county_code, level ORDER BY code) AS n
       FROM region WHERE county_code = ANY($1::text[]) AND level <> 'county'
     ), targets AS (
       SELECT gen_random_uuid() AS id, code, level, county_code FROM (
         SELECT code, level, code AS county_code FROM region WHERE code = ANY($1::text[]) AND level = 'county'
         UNION ALL SELECT code, level, county_code FROM ranked WHERE level = 'township' AND n <= 5
         UNION ALL SELECT code, level, county_code FROM ranked WHERE level = 'village' AND n % 25 = 1
       ) AS chosen
     ), broadcasts AS (
       INSERT INTO scheduled_broadcast (id, programme_id, county_code, scope_code, slot_name, start_date, rrule, created_by_id)
       SELECT id, $2, county_code, code, 'evening', $3::date, 'FREQ=DAILY', $4 FROM targets
     )
     INSERT INTO broadcast_target (broadcast_id, region_code, level, position) SELECT id, code, level, 1 FROM targets`,
    [countyCodes, programme, from, user],
  );
  return { user, programme, broadcasts: rowCount ?? 0 };
}

/** The nightly compile of one date, county by county as the worker's jobs do it, `concurrency` at a time; regions compiled. */
export async function compileDay(
  compiler: PlaylistCompiler,
  countyCodes: string[],
  date: string,
  concurrency: number,
): Promise<number> {
  let compiled = 0;
  await inParallel(countyCodes, concurrency, async (county) => {
    // Not `compiled += await …`: that reads `compiled` before the await, and loses the other counties' sums.
    const { regions } = await compiler.compile(county, [date]);
    compiled += regions;
  });
  return compiled;
}
