import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { createHttpApp } from '../src/app';
import type { AppConfig } from '../src/infra/config/config';
import { generateDeviceToken } from '../src/endpoints/domain/secrets';
import { createRootLogger } from '../src/infra/logging/logger';
import {
  adminWithSongtao,
  benchApi,
  benchConfig,
  devicesInVillages,
  dropBenchState,
  mediaReady,
  runBench,
} from './bench-kit';
import {
  activationDone,
  bareSseServer,
  EMERGENCY_EVENT,
  EVENTS_ROUTE,
  figures,
  measure,
  ms,
  report,
  type Series,
} from './sse-broadcast';
import { openFilesLimit } from './sse-listeners';

// bench:emergency — how long an approved emergency alert takes to reach every
// connected loudspeaker, next to the least a server can do. N devices (from a
// child process, one connection each) hold the real app's event stream open;
// an approver approves a drafted alert, and each device's arrival time of the
// `emergency` event is taken from just before the approve request. Once the
// app has finished what the approval set off, a bare node:http SSE server in
// this process sends the very same event bytes to as many fresh streams,
// timed from just before its broadcast. Printed for both: streams connected
// (and how long that took), received, missed, the first arrival, p50, p99
// and max; then app ÷ bare at p99. Target: app p99 ≤ 1 s with none missed.
// Not a pass/fail test: it exits 0 unless the set-up fails.
//
// --baseline-only measures the bare server alone with a stand-in event (no
// database, no Redis): what this machine and the listener process can do.

const { values: args } = parseArgs({
  options: {
    devices: { type: 'string', default: '10000' },
    'timeout-seconds': { type: 'string', default: '10' },
    'baseline-only': { type: 'boolean', default: false },
  },
});
const DEVICES = Number(args.devices);
const TIMEOUT_MS = Number(args['timeout-seconds']) * 1000;
const ADMIN_PASSWORD = 'bench-admin-password';
const USER_PASSWORD = 'bench-user-password';
const COUNTY = '520628000000';
const TARGET_P99_MS = 1000;
// Both processes hold one socket per device; the app also needs Postgres, Redis and files.
const SPARE_FILES = 1000;

/**
 * The real app with N enrolled devices in Songtao's villages and an alert
 * drafted for the whole county, waiting for approval. Users, regions, audio
 * and the alert go through the API; the devices are written straight to the
 * database (enrolling 10,000 through the API is slow and measures nothing here).
 */
async function appWithDraftedAlert(config: AppConfig, app: NestFastifyApplication, db: Client) {
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;

  const api = benchApi(base);
  const login = async (username: string, password: string) =>
    (await api<{ accessToken: string }>('POST', '/api/v1/auth/login', 200, { json: { username, password } }))
      .accessToken;

  const admin = await adminWithSongtao(api, config.admin.username, ADMIN_PASSWORD);
  // The approver must be someone other than the drafter.
  for (const role of ['operator', 'approver']) {
    await api('POST', '/api/v1/users', 201, {
      token: admin,
      json: { username: `bench-${role}`, password: USER_PASSWORD, role, scopeCode: COUNTY },
    });
  }
  const operator = await login('bench-operator', USER_PASSWORD);
  const approver = await login('bench-approver', USER_PASSWORD);

  // The operator's own audio: media an admin makes belongs to the whole installation, out of a county operator's reach.
  const text = '松桃县防汛演练：河水上涨，请沿河低洼地带的群众立即向高处转移。这是一次演练。';
  const { id: mediaId } = await api<{ id: string }>('POST', '/api/v1/media/tts', 202, {
    token: operator,
    json: { text },
  });
  await mediaReady(api, operator, mediaId);

  const { tokens, villages } = await devicesInVillages(db, COUNTY, DEVICES);

  const { id } = await api<{ id: string }>('POST', '/api/v1/emergencies', 201, {
    token: operator,
    json: {
      title: '松桃县防汛演练',
      level: 2,
      category: 'flood',
      regionCodes: [COUNTY],
      mediaId,
      repeat: 3,
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      drill: true,
    },
  });
  return {
    url: `${base}${EVENTS_ROUTE}`,
    tokens,
    id,
    villages,
    approve: async () => {
      await api('POST', `/api/v1/emergencies/${id}/approve`, 200, { token: approver });
    },
  };
}

async function main(): Promise<void> {
  if (!Number.isInteger(DEVICES) || DEVICES < 1 || !(TIMEOUT_MS > 0))
    throw new Error('--devices must be a whole number ≥ 1 and --timeout-seconds a number > 0');
  const limit = openFilesLimit();
  if (limit !== undefined && DEVICES + SPARE_FILES > limit) {
    throw new Error(
      `--devices ${DEVICES} needs about ${DEVICES + SPARE_FILES} open files in each process, and ulimit -n is ${limit}: raise it or use at most ${limit - SPARE_FILES} devices`,
    );
  }
  console.log(
    `bench:emergency: ${DEVICES} devices, one connection each from a child process, ${TIMEOUT_MS / 1000} s to receive, ${availableParallelism()} CPUs${args['baseline-only'] ? ', bare server only' : ''}`,
  );

  if (args['baseline-only']) {
    const id = randomUUID();
    const bare = await bareSseServer(
      { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
      5000,
    );
    try {
      const frame = `id: ${Date.now()}\nevent: ${EMERGENCY_EVENT}\ndata: ${JSON.stringify({ id, title: '松桃县防汛演练', level: 2, drill: true })}\n\n`;
      const tokens = Array.from({ length: DEVICES }, () => generateDeviceToken());
      report([await measure('bare', bare.url, tokens, id, TIMEOUT_MS, () => bare.broadcast(frame))]);
    } finally {
      await bare.close();
    }
    return;
  }

  const work = mkdtempSync(join(tmpdir(), 'dalaba-bench-emergency-'));
  const database = `dalaba_bench_emergency_${process.pid}`;
  const prefix = `benche${process.pid}`;
  let app: NestFastifyApplication | undefined;
  let db: Client | undefined;
  try {
    const config = await benchConfig(database, prefix, {
      ADMIN_PASSWORD,
      APP_ROLE: 'all',
      MEDIA_DIR: join(work, 'media'),
    });
    db = new Client({ connectionString: config.databaseUrl });
    await db.connect();
    app = await createHttpApp(config, createRootLogger('warn'));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const alert = await appWithDraftedAlert(config, app, db);

    // The app first: the bare server replays the bytes it sent.
    const ofApp = await measure('app', alert.url, alert.tokens, alert.id, TIMEOUT_MS, alert.approve);
    const { data } = ofApp.arrivals;
    let ofBare: Series | undefined;
    if (data === null) {
      console.log(
        `  ${alert.villages} villages, alert ${alert.id} for the county: no device received it, so there is no event for the bare server to send`,
      );
    } else {
      const { pushedAt, doneAt } = await activationDone(
        db,
        alert.id,
        ofApp.arrivals.at.filter((at) => at !== null).length,
      );
      console.log(
        `  ${alert.villages} villages, alert ${alert.id} for the county; event data ${Buffer.byteLength(data)} bytes`,
      );
      console.log(
        `  the activation was pushed ${ms(pushedAt - ofApp.t0)} ms and its playlists recompiled ${ms(doneAt - ofApp.t0)} ms after the approve request`,
      );
      const bare = await bareSseServer(ofApp.opened.headers, ofApp.opened.retryMs);
      try {
        const frame = `id: ${Date.now()}\nevent: ${EMERGENCY_EVENT}\ndata: ${data}\n\n`;
        ofBare = await measure('bare', bare.url, alert.tokens, alert.id, TIMEOUT_MS, () => bare.broadcast(frame));
      } finally {
        await bare.close();
      }
    }

    report(ofBare ? [ofApp, ofBare] : [ofApp]);
    const appRun = figures(ofApp);
    if (ofBare) console.log(`  ratio app ÷ bare, p99: ${(appRun.p99 / figures(ofBare).p99).toFixed(2)}`);
    const met = appRun.p99 <= TARGET_P99_MS && appRun.missed === 0;
    console.log(`  target: app p99 ≤ ${TARGET_P99_MS} ms and none missed: ${met ? 'OK' : 'NOT MET'}`);
  } finally {
    await db?.end();
    await app?.close();
    rmSync(work, { recursive: true, force: true });
    await dropBenchState(database, prefix);
  }
}

runBench(main);
