import { readFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import type { Client } from 'pg';
import { AppModule } from '../src/app.module';
import { hashSecret } from '../src/endpoints/domain/secrets';
import type { AppConfig } from '../src/infra/config/config';
import { PinoNestLogger, createRootLogger } from '../src/infra/logging/logger';
import { addDays, countyDate } from '../src/kernel/county-time';
import { PlaylistCompiler } from '../src/scheduling/playlist-compiler';
import { type BenchApi, devicesInVillages } from './bench-kit';
import { compileDay, scheduleDaily, trackPeakMemory } from './schedule-kit';

// bench:province's province: the regions through the API as an installer
// imports them, the loudspeakers and the schedule straight into the
// database, and tomorrow compiled for every region.

const seconds = (since: number) => (performance.now() - since) / 1000;

export interface Province {
  regions: number;
  counties: string[];
  villages: number;
  importSeconds: number;
  /** Each device's token, and its endpoint's id. */
  devices: Array<{ token: string; endpointId: string }>;
  enrollSeconds: number;
}

/**
 * Imports the regions file through the API and writes `perVillage` enrolled
 * devices into every village (at most `devices` in all, spread over the
 * villages). Enrolling tens of thousands through the API (two requests each)
 * would take longer than the whole bench and measures nothing here.
 */
export async function importProvince(
  api: BenchApi,
  admin: string,
  db: Client,
  regionsFile: string,
  perVillage: number,
  devices: number | undefined,
): Promise<Province> {
  let started = performance.now();
  const { rows } = await api<{ rows: number }>('POST', '/api/v1/regions/import', 200, {
    token: admin,
    type: 'text/csv',
    body: readFileSync(regionsFile, 'utf8'),
  });
  const importSeconds = seconds(started);
  const { rows: levels } = await db.query<{ level: string; codes: string[] }>(
    `SELECT level, array_agg(code ORDER BY code) AS codes FROM region GROUP BY level`,
  );
  const of = (level: string) => levels.find((row) => row.level === level)?.codes ?? [];
  const villages = of('village').length;

  started = performance.now();
  const { tokens } = await devicesInVillages(db, null, Math.min(devices ?? Infinity, perVillage * villages));
  const enrollSeconds = seconds(started);
  const { rows: endpoints } = await db.query<{ id: string; token_hash: string }>(`SELECT id, token_hash FROM endpoint`);
  const byHash = new Map(endpoints.map((row) => [row.token_hash, row.id]));
  return {
    regions: rows,
    counties: of('county'),
    villages,
    importSeconds,
    devices: tokens.map((token) => ({ token, endpointId: byHash.get(hashSecret(token))! })),
    enrollSeconds,
  };
}

export interface Compiled {
  date: string;
  broadcasts: number;
  regions: number;
  seconds: number;
  peakRss: number;
}

/**
 * Schedules a daily programme in every county, then compiles tomorrow for
 * every county, `concurrency` at a time as the workers' nightly jobs do, in
 * this process (as bench:compile does): the time is the compile's alone.
 */
export async function compileTomorrow(
  config: AppConfig,
  db: Client,
  counties: string[],
  concurrency: number,
): Promise<Compiled> {
  const today = countyDate(new Date());
  const { broadcasts } = await scheduleDaily(db, counties, today);
  const context = await NestFactory.createApplicationContext(AppModule.forConfig(config), {
    logger: new PinoNestLogger(createRootLogger('warn')),
  });
  try {
    const date = addDays(today, 1);
    const peak = trackPeakMemory();
    const started = performance.now();
    const regions = await compileDay(context.get(PlaylistCompiler), counties, date, concurrency);
    return { date, broadcasts, regions, seconds: seconds(started), peakRss: peak() };
  } finally {
    await context.close();
  }
}
