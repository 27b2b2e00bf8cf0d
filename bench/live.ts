import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import WebSocket from 'ws';
import { createHttpApp } from '../src/app';
import type { IcecastConfig } from '../src/infra/config/config';
import { startIcecast } from '../src/infra/icecast/icecast-server';
import { createRootLogger } from '../src/infra/logging/logger';
import type { LiveEvent } from '../src/infra/redis/event-bus';
import { playStream } from '../src/sim/live-stream';
import { readEventStream, SseParser } from '../src/sim/sse';
import { adminWithSongtao, benchApi, benchConfig, devicesInVillages, dropBenchState, runBench } from './bench-kit';
import { Ear, Mouth } from './live-listeners';
import { report, type Run } from './live-report';

// bench:live — mouth to loudspeaker through Dalaba's live voice, beside
// ffmpeg piping straight into Icecast. A speaker sends silence in real time
// (16-bit WAV, 100 ms chunks); once it is on air it switches to a test tone,
// and t0 is when the tone's first chunk was sent. N devices play the mount
// with the simulator's stream player and note when the tone reaches them.
// Dalaba: N enrolled devices hold the event stream; the speaker is a
// WebSocket client of a live session's ingest URL; on air = the server's
// `live` status; each device opens the stream on `live-started` (its start-up
// counts). Baseline: the same speaker writes into an ffmpeg that sends MP3 to
// an Icecast mount itself (HTTP PUT); on air = audio coming out of the mount
// (polled); every device opens it then. Not a pass/fail test: it exits non-zero only
// when the measurement itself is broken.

const { values: args } = parseArgs({
  options: {
    devices: { type: 'string', default: '200' },
    'timeout-seconds': { type: 'string', default: '15' },
    'spread-ms': { type: 'string', default: '0' },
    'baseline-only': { type: 'boolean', default: false },
  },
});
const DEVICES = Number(args.devices);
const TIMEOUT_MS = Number(args['timeout-seconds']) * 1000;
// Each device waits a random part of this before opening the stream (0: all at once, as told).
const SPREAD_MS = Number(args['spread-ms']);
const spread = () => Math.random() * SPREAD_MS;
const ADMIN_PASSWORD = 'bench-admin-password';
const USER_PASSWORD = 'bench-user-password';
const SOURCE_PASSWORD = 'bench-icecast-source-password';
const COUNTY = '520628000000';
// The baseline encodes as Dalaba's live sessions do, so only the road between differs.
const BASELINE_ENCODING = ['-c:a', 'libmp3lame', '-b:a', '64k', '-ac', '1', '-flush_packets', '1'];
// How often the baseline looks for audio on its mount (Icecast has no push): the least a poller adds.
const MOUNT_POLL_MS = 20;

/** Waits for every ear to hear the tone, or the timeout, then stops them. */
async function collect(ears: Ear[], label: string, t0: number): Promise<Run> {
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, TIMEOUT_MS).unref());
  await Promise.race([Promise.all(ears.map((ear) => ear.toneHeard)), timeout]);
  ears.forEach((ear) => ear.stop());
  const decoded = [];
  // One decoder at a time: the run is over, and the machine has 2 cores.
  for (const ear of ears) decoded.push(await ear.decoded());
  return { label, t0, ears, decoded };
}

async function baseline(icecast: IcecastConfig): Promise<Run> {
  const mount = '/bench-baseline.mp3';
  const target = new URL(`${icecast.url}${mount}`);
  target.username = 'source';
  target.password = icecast.sourcePassword;
  const ffmpeg = spawn(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-f', 'wav', '-i', 'pipe:0', ...BASELINE_ENCODING],
      ...['-f', 'mp3', '-content_type', 'audio/mpeg', '-method', 'PUT', '-auth_type', 'basic'],
      ...['-chunked_post', '0', '-send_expect_100', '0', target.toString()],
    ],
    { stdio: ['pipe', 'ignore', 'inherit'] },
  );
  ffmpeg.stdin.on('error', () => undefined);
  const mouth = new Mouth((chunk) => ffmpeg.stdin.write(chunk));
  const ears = Array.from({ length: DEVICES }, () => new Ear());
  try {
    mouth.start();
    // On air once audio flows out of the mount (a live session is too, once its audio reaches Icecast).
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      const probe = new AbortController();
      if ((await playStream(`${icecast.url}${mount}`, probe.signal, () => probe.abort())).bytes > 0) break;
      if (Date.now() > deadline) throw new Error(`no audio came out of ${mount}: the baseline's ffmpeg never fed it`);
      await new Promise((resolve) => setTimeout(resolve, MOUNT_POLL_MS));
    }
    const toneSent = mouth.tone();
    for (const ear of ears) ear.play(`${icecast.url}${mount}`, spread());
    return await collect(ears, 'ffmpeg', await toneSent);
  } finally {
    mouth.stop();
    ears.forEach((ear) => ear.stop());
    ffmpeg.stdin.end();
    ffmpeg.kill();
  }
}

/** The app with Icecast, N devices written straight into its database (as bench:emergency does), and a county operator. */
async function dalaba(icecast: IcecastConfig, work: string, database: string, prefix: string): Promise<Run> {
  const config = await benchConfig(database, prefix, {
    ADMIN_PASSWORD,
    APP_ROLE: 'all',
    MEDIA_DIR: join(work, 'media'),
    ICECAST_URL: icecast.url,
    ICECAST_SOURCE_PASSWORD: icecast.sourcePassword,
    ICECAST_MOUNT_PREFIX: icecast.mountPrefix,
  });
  const db = new Client({ connectionString: config.databaseUrl });
  let app: NestFastifyApplication | undefined;
  const streams = new AbortController();
  const ears = Array.from({ length: DEVICES }, () => new Ear());
  let mouth: Mouth | undefined;
  let socket: WebSocket | undefined;
  try {
    await db.connect();
    app = await createHttpApp(config, createRootLogger('warn'));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const host = `127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const api = benchApi(`http://${host}`);
    const admin = await adminWithSongtao(api, config.admin.username, ADMIN_PASSWORD);
    await api('POST', '/api/v1/users', 201, {
      token: admin,
      json: { username: 'bench-operator', password: USER_PASSWORD, role: 'operator', scopeCode: COUNTY },
    });
    const { accessToken: operator } = await api<{ accessToken: string }>('POST', '/api/v1/auth/login', 200, {
      json: { username: 'bench-operator', password: USER_PASSWORD },
    });

    const { tokens } = await devicesInVillages(db, COUNTY, DEVICES);
    await Promise.all(
      tokens.map((token, index) =>
        holdEvents(`http://${host}/api/v1/device/events`, token, streams.signal, (live) => {
          ears[index].play(live.stream.url, spread());
        }),
      ),
    );

    const { ingestUrl } = await api<{ ingestUrl: string }>('POST', '/api/v1/live-sessions', 201, {
      token: operator,
      json: { title: 'bench:live', regionCodes: [COUNTY], priority: 'urgent' },
    });
    const ws = new WebSocket(`ws://${host}${ingestUrl}`);
    socket = ws;
    const speaking = new Mouth((chunk) => ws.send(chunk));
    mouth = speaking;
    const onAir = new Promise<number>((resolve, reject) => {
      ws.once('open', () => speaking.start());
      ws.on('message', (data: Buffer) => {
        const status = JSON.parse(data.toString()) as { status?: string; reason?: string };
        if (status.status === 'live') resolve(speaking.tone());
        if (status.status === 'ended') reject(new Error(`the live session ended: ${status.reason}`));
      });
      ws.once('close', (code) => reject(new Error(`the ingest socket closed (${code}) before the session was live`)));
      ws.once('error', reject);
      setTimeout(() => reject(new Error('the live session was not live in time')), TIMEOUT_MS).unref();
    });
    return await collect(ears, 'dalaba', await onAir);
  } finally {
    mouth?.stop();
    socket?.close();
    streams.abort();
    ears.forEach((ear) => ear.stop());
    await app?.close();
    await db.end();
  }
}

/** One device's event stream, held until `signal`; resolves once it is open. */
async function holdEvents(
  url: string,
  token: string,
  signal: AbortSignal,
  onLive: (live: LiveEvent) => void,
): Promise<void> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal });
  if (!response.ok || !response.body) throw new Error(`device events: HTTP ${response.status}`);
  void readEventStream(
    response.body,
    new SseParser(),
    (event) => {
      if (event.type === 'live-started') onLive(JSON.parse(event.data) as LiveEvent);
    },
    () => undefined,
  ).catch(() => undefined);
}

/** A port nothing listens on now, for Icecast, which is told its port in its configuration. */
async function unusedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  return port;
}

async function main(): Promise<void> {
  if (!Number.isInteger(DEVICES) || DEVICES < 1 || !(TIMEOUT_MS > 0) || !(SPREAD_MS >= 0))
    throw new Error('--devices must be a whole number ≥ 1, --timeout-seconds a number > 0 and --spread-ms ≥ 0');
  console.log(
    `bench:live: ${DEVICES} devices${SPREAD_MS ? ` opening the stream within ${SPREAD_MS} ms of being told` : ''}, a 997 Hz tone after silence, 16-bit 48 kHz WAV in 100 ms chunks, ${availableParallelism()} CPUs`,
  );
  const url = `http://127.0.0.1:${await unusedPort()}`;
  const icecast: IcecastConfig = {
    url,
    publicUrl: url,
    sourcePassword: SOURCE_PASSWORD,
    mountPrefix: 'bench',
    start: true,
    path: process.env.ICECAST_PATH ?? 'icecast2',
  };
  const running = await startIcecast(icecast, DEVICES * 2 + 100);
  const work = mkdtempSync(join(tmpdir(), 'dalaba-bench-live-'));
  const database = `dalaba_bench_live_${process.pid}`;
  const prefix = `benchl${process.pid}`;
  try {
    const runs = [await baseline(icecast)];
    if (!args['baseline-only']) runs.unshift(await dalaba(icecast, work, database, prefix));
    report(runs, DEVICES);
  } finally {
    await running.stop();
    if (!args['baseline-only']) await dropBenchState(database, prefix);
    rmSync(work, { recursive: true, force: true });
  }
}

runBench(main);
