import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { AppModule } from '../src/app.module';
import { PinoNestLogger, createRootLogger } from '../src/infra/logging/logger';
import { parseCsv } from '../src/regions/domain/region-import';
import { addDays, countyDate } from '../src/kernel/county-time';
import { PlaylistCompiler } from '../src/scheduling/playlist-compiler';
import { COMPILE_HORIZON_DAYS, SchedulingService } from '../src/scheduling/scheduling.service';
import { benchConfig, dropBenchState, runBench } from './bench-kit';
import { compileDay, mb, scheduleDaily, trackPeakMemory } from './schedule-kit';

// bench:compile: a province of counties shaped like Songtao (28 townships,
// 522 villages, one loudspeaker per village), a realistic schedule in every
// county, then (1) the nightly compile of one day for the whole province, and
// (2) a township operator's edit: scheduling a programme for one township,
// overflow check included, and the recompile of that township's subtree for
// the published days. Targets: (1) ≤ 30 s, (2) ≤ 1 s. The baseline beside (1)
// is the cost of writing the same number of playlist rows in bulk with no
// composing at all: the floor any compile pays.

const { values: args } = parseArgs({
  options: { counties: { type: 'string', default: '100' }, concurrency: { type: 'string', default: '2' } },
});
const COUNTIES = Number(args.counties);
const CONCURRENCY = Number(args.concurrency);

async function main(): Promise<void> {
  const database = `dalaba_bench_compile_${process.pid}`;
  const prefix = `benchc${process.pid}`;
  const config = await benchConfig(database, prefix, { APP_ROLE: 'api' });
  const db = new Client({ connectionString: config.databaseUrl });
  await db.connect();
  try {
    // The province: Songtao's tree copied under COUNTIES county codes.
    const songtao = parseCsv(readFileSync(join(__dirname, '../../tests/fixtures/regions/songtao.csv'), 'utf8'))
      .slice(1)
      .map(({ fields }) => fields);
    const regions: Array<[string, string, string, string | null, string, string | null]> = [];
    const countyCodes: string[] = [];
    for (let i = 0; i < COUNTIES; i++) {
      const countyPrefix = String(900_000 + i);
      const recode = (code: string) => (code ? countyPrefix + code.slice(6) : null);
      countyCodes.push(`${countyPrefix}000000`);
      for (const [code, name, level, parent] of songtao) {
        const own = recode(code)!;
        regions.push([
          own,
          `${name}${i}`,
          level,
          recode(parent),
          `${countyPrefix}000000`,
          level === 'county' ? null : own.slice(0, 9) + '000',
        ]);
      }
    }
    const columns = (index: number) => regions.map((row) => row[index]);
    await db.query(
      `INSERT INTO region (code, name, level, parent_code, county_code, township_code)
       SELECT * FROM unnest($1::text[], $2::text[], $3::"RegionLevel"[], $4::text[], $5::text[], $6::text[])`,
      [columns(0), columns(1), columns(2), columns(3), columns(4), columns(5)],
    );
    const villages = regions.filter((row) => row[2] === 'village').map((row) => row[0]);
    await db.query(
      `INSERT INTO endpoint (id, region_code, name, enrolled_at) SELECT gen_random_uuid(), code, '村委会门口', now() FROM unnest($1::text[]) AS t(code)`,
      [villages],
    );

    // What an operator schedules: a county programme every day, and at each level some local ones.
    const today = countyDate(new Date());
    const { user, programme, broadcasts } = await scheduleDaily(db, countyCodes, today);
    console.log(
      `bench:compile: ${COUNTIES} counties shaped like Songtao: ${regions.length} regions, ${villages.length} endpoints, ${broadcasts} daily broadcasts; concurrency ${CONCURRENCY}`,
    );

    const context = await NestFactory.createApplicationContext(AppModule.forConfig(config), {
      logger: new PinoNestLogger(createRootLogger('warn')),
    });
    try {
      const compiler = context.get(PlaylistCompiler);
      const scheduling = context.get(SchedulingService);
      const date = addDays(today, 1);

      // (1) The nightly compile of one day, county by county as the worker's jobs do it.
      let peak = trackPeakMemory();
      let started = performance.now();
      const compiled = await compileDay(compiler, countyCodes, date, CONCURRENCY);
      const fullSeconds = (performance.now() - started) / 1000;
      const fullPeak = peak();

      // Baseline: the same rows, already composed, written in one bulk statement per batch.
      const rows = await db.query<{ region_code: string; version: string; items: string }>(
        `SELECT region_code, version, items::text AS items FROM compiled_playlist WHERE date = $1`,
        [date],
      );
      const again = addDays(today, 30);
      started = performance.now();
      for (let i = 0; i < rows.rows.length; i += 2_000) {
        const batch = rows.rows.slice(i, i + 2_000);
        await db.query(
          `INSERT INTO compiled_playlist (region_code, date, version, items, compiled_at) SELECT code, $1::date, version, items::jsonb, now() FROM unnest($2::text[], $3::text[], $4::text[]) AS t(code, version, items)`,
          [again, batch.map((r) => r.region_code), batch.map((r) => r.version), batch.map((r) => r.items)],
        );
      }
      const writeSeconds = (performance.now() - started) / 1000;

      // (2) A township operator's edit: schedule, check, recompile the township for the published days.
      const township = regions.find((row) => row[4] === countyCodes[0] && row[2] === 'township')![0];
      const actor = { type: 'user' as const, id: user, username: 'bench', role: 'admin' as const, scopeCode: null };
      peak = trackPeakMemory();
      started = performance.now();
      await scheduling.createBroadcast(actor, {
        programmeId: programme,
        slot: 'evening',
        regionCodes: [township],
        date,
        position: 9,
      });
      const dates = Array.from({ length: COMPILE_HORIZON_DAYS }, (_, day) => addDays(today, day));
      const edit = await compiler.compile(countyCodes[0], dates, [township]);
      const editSeconds = (performance.now() - started) / 1000;
      const editPeak = peak();

      console.log(
        `  full compile, one day: ${fullSeconds.toFixed(2)} s for ${compiled} regions (${Math.round(villages.length / fullSeconds)} endpoints/s, ${Math.round(compiled / fullSeconds)} regions/s), peak RSS ${mb(fullPeak)} (target ≤ 30 s) ${fullSeconds <= 30 ? 'OK' : 'OVER TARGET'}`,
      );
      console.log(
        `  baseline, bulk-writing the same ${rows.rows.length} rows: ${writeSeconds.toFixed(2)} s; compile ÷ write: ${(fullSeconds / writeSeconds).toFixed(1)}`,
      );
      console.log(
        `  township edit (schedule + overflow check + recompile ${edit.regions} playlists over ${dates.length} days, ${edit.changed} changed): ${editSeconds.toFixed(3)} s, peak RSS ${mb(editPeak)} (target ≤ 1 s) ${editSeconds <= 1 ? 'OK' : 'OVER TARGET'}`,
      );
    } finally {
      await context.close();
    }
  } finally {
    await db.end();
    await dropBenchState(database, prefix);
  }
}

runBench(main);
