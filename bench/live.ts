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
import type { AppConfig, IcecastConfig, MediaConfig } from '../src/infra/config/config';
import { startIcecast } from '../src/infra/icecast/icecast-server';
import { createRootLogger } from '../src/infra/logging/logger';
import type { LiveEvent } from '../src/infra/redis/event-bus';
import { readEventStream, SseParser } from 'dalaba-agent/protocol';
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
// `live` status (sent once Icecast took the mount); each device opens the
// stream on `live-started` (its start-up counts). Baseline: the same speaker
// writes into an ffmpeg that sends MP3 to an Icecast mount itself (HTTP PUT);
// on air = Icecast lists the mount (polled); the devices open it then, at the
// pace Dalaba's heard live-started. Both runs get a fresh Icecast. Not a
// pass/fail test: it exits non-zero only when the measurement itself is broken.

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
// How often the baseline looks for its mount (Icecast has no push): the least a poller adds.
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

/**
 * When each of Dalaba's devices heard live-started, from the first of them:
 * the baseline's devices open the mount at the same pace (all at once would
 * be a stampede that no push delivers, and Icecast 2.4 queues only 5
 * connections; the rest retry a second later).
 */
function pace(run: Run): number[] {
  const told = run.ears.map((ear) => ear.toldAt ?? Infinity);
  const first = Math.min(...told);
  return told.map((at) => (at === Infinity ? 0 : at - first));
}

/**
 * ffmpeg straight into Icecast, reading and encoding as Dalaba's live
 * sessions do (no input buffering; the broadcast rendition), so only the road
 * between differs.
 */
async function baseline(icecast: IcecastConfig, rendition: MediaConfig['rendition'], pace: number[]): Promise<Run> {
  const mount = '/bench-baseline.mp3';
  const target = new URL(`${icecast.url}${mount}`);
  target.username = 'source';
  target.password = icecast.sourcePassword;
  const ffmpeg = spawn(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-fflags', 'nobuffer', '-flags', 'low_delay'],
      ...['-probesize', '4096', '-analyzeduration', '0', '-f', 'wav', '-i', 'pipe:0', '-c:a', 'libmp3lame'],
      ...['-b:a', `${rendition.bitrateKbps}k`, '-ar', String(rendition.sampleRate), '-ac', String(rendition.channels)],
      ...['-write_xing', '0', '-id3v2_version', '0', '-flush_packets', '1'],
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
    // On air once Icecast has the mount, as a live session is (the speaker is told `live` then).
    const deadline = Date.now() + TIMEOUT_MS;
    while (!(await (await fetch(`${icecast.url}/status-json.xsl`)).text()).includes(mount)) {
      if (Date.now() > deadline) throw new Error(`the baseline's ffmpeg never made ${mount} on Icecast`);
      await new Promise((resolve) => setTimeout(resolve, MOUNT_POLL_MS));
    }
    const toneSent = mouth.tone();
    ears.forEach((ear, index) => ear.play(`${icecast.url}${mount}`, pace[index] ?? 0, spread()));
    return await collect(ears, 'ffmpeg', await toneSent);
  } finally {
    mouth.stop();
    ears.forEach((ear) => ear.stop());
    ffmpeg.stdin.end();
    ffmpeg.kill();
  }
}

/** The app with Icecast, N devices written straight into its database (as bench:emergency does), and a county operator. */
async function dalaba(config: AppConfig): Promise<Run> {
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
          ears[index].play(live.stream.url, 0, spread());
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

/** A fresh Icecast for each run, so that neither inherits the other's listeners (or its fate). */
async function onIcecast<T>(icecast: IcecastConfig, run: () => Promise<T>): Promise<T> {
  const running = await startIcecast(icecast, DEVICES * 2 + 100);
  let output = '';
  let stopping = false;
  running.child.stdout?.on('data', (chunk) => (output = (output + String(chunk)).slice(-2_000)));
  running.child.once('exit', (code, signal) => {
    if (!stopping) console.log(`  Icecast exited (${code ?? signal}) during the run: ${output.trim()}`);
  });
  try {
    return await run();
  } finally {
    stopping = true;
    await running.stop();
  }
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
  const work = mkdtempSync(join(tmpdir(), 'dalaba-bench-live-'));
  const database = `dalaba_bench_live_${process.pid}`;
  const prefix = `benchl${process.pid}`;
  try {
    const config = await benchConfig(database, prefix, {
      ADMIN_PASSWORD,
      APP_ROLE: 'all',
      MEDIA_DIR: join(work, 'media'),
      ICECAST_URL: icecast.url,
      ICECAST_SOURCE_PASSWORD: icecast.sourcePassword,
      ICECAST_MOUNT_PREFIX: icecast.mountPrefix,
    });
    const { sampleRate, channels, bitrateKbps } = config.media.rendition;
    console.log(
      `  both encode MP3 at ${bitrateKbps} kbit/s, ${sampleRate} Hz, ${channels} channel(s); Icecast 2 at ${url}`,
    );
    const runs = args['baseline-only'] ? [] : [await onIcecast(icecast, () => dalaba(config))];
    const paced = runs.length ? pace(runs[0]) : [];
    runs.push(await onIcecast(icecast, () => baseline(icecast, config.media.rendition, paced)));
    report(runs, DEVICES);
  } finally {
    await dropBenchState(database, prefix);
    rmSync(work, { recursive: true, force: true });
  }
}

runBench(main);
