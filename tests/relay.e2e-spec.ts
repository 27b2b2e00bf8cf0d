import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countyDate, formatMinute } from '../src/kernel/county-time';
import { locateMediaTools } from '../src/media/tools/locate-tools';
import { sql } from './helpers/databases';
import { clearQueuePrefix, startApp, type TestApp } from './helpers/app';
import {
  adminToken,
  createEndpoint,
  DAXING,
  DAXING_VILLAGE,
  enroll,
  importSongtao,
  SONGTAO,
  userToken,
} from './helpers/factories';
import { startTestIcecast, type TestIcecast } from './helpers/icecast';
import { makeTone } from './helpers/media';
import { freePort, waitFor } from './helpers/processes';

const tools = locateMediaTools({});
// The station's sine, encoded to MP3 as a stream.
const ENCODE_MP3 = ['-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3', 'pipe:1'];

/**
 * The "outside" station: an endless MP3 made by ffmpeg from a sine, as an
 * Icecast-like server sends it, a web page (not audio), and a switch that
 * kills the station mid-way (every stream it sends ends, new ones are refused).
 */
async function startStation() {
  const encoders = new Set<ChildProcess>();
  const listeners = new Set<ServerResponse>();
  let down = false;
  const server: Server = createServer((request, response) => {
    if (request.url === '/page.html') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return response.end('<!doctype html><html><body><h1>县广播电视台</h1><p>在线收听</p></body></html>');
    }
    if (request.url !== '/live.mp3' || down) return response.writeHead(down ? 503 : 404).end();
    const encoder = spawn(
      tools.ffmpeg.command,
      [
        '-nostdin',
        '-loglevel',
        'error',
        '-re',
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=660:sample_rate=44100',
        ...ENCODE_MP3,
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    encoders.add(encoder);
    listeners.add(response);
    response.writeHead(200, { 'content-type': 'audio/mpeg', 'icy-name': 'county station' });
    encoder.stdout.pipe(response);
    const done = () => {
      encoder.kill('SIGKILL');
      encoders.delete(encoder);
      listeners.delete(response);
    };
    response.on('close', done);
    encoder.on('exit', () => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    live: `${base}/live.mp3`,
    page: `${base}/page.html`,
    kill() {
      down = true;
      for (const response of listeners) response.destroy();
      for (const encoder of encoders) encoder.kill('SIGKILL');
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A listener of an Icecast mount, as a loudspeaker plays it: everything it has received so far. */
function listen(url: string) {
  const controller = new AbortController();
  const received: Buffer[] = [];
  const done = fetch(url, { signal: controller.signal })
    .then(async (response) => {
      if (!response.ok || !response.body) throw new Error(`listener got HTTP ${response.status}`);
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) received.push(Buffer.from(chunk));
    })
    .catch(() => undefined);
  return {
    bytes: () => received.reduce((sum, chunk) => sum + chunk.length, 0),
    since: (offset: number) => Buffer.concat(received).subarray(offset),
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

/** Seconds of MP3 audio ffmpeg decodes from some bytes (a slice may begin mid-frame: the decoder finds the next one). */
function decodedMp3Seconds(bytes: Buffer, work: string): number {
  const file = join(work, `heard-${Date.now()}.mp3`);
  writeFileSync(file, bytes);
  const { stderr } = spawnSync(
    tools.ffmpeg.command,
    ['-hide_banner', '-nostdin', '-f', 'mp3', '-i', file, '-f', 'null', '-'],
    {
      encoding: 'utf8',
    },
  );
  // The last progress report says how far it decoded: time=HH:MM:SS.ss
  const times = [...stderr.matchAll(/time=(\d+):(\d+):([\d.]+)/g)];
  const last = times.at(-1);
  return last ? Number(last[1]) * 3600 + Number(last[2]) * 60 + Number(last[3]) : 0;
}

describe('relayed streams', () => {
  let icecast: TestIcecast;
  let station: Awaited<ReturnType<typeof startStation>>;
  let t: TestApp;
  let operator: string;
  let work: string;
  /** The mount devices were sent to, by the test that scheduled the relay. */
  let mountUrl: string;
  const today = countyDate(new Date());

  const schedule = (body: Record<string, unknown>) =>
    t.api.post('/api/v1/broadcasts', { date: today, regionCodes: [DAXING], ...body }, { token: operator });
  const saved = async () => (await t.api.get(`/api/v1/broadcasts?region=${SONGTAO}`, { token: operator })).body.items;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'dalaba-relay-'));
    const filler = join(work, 'filler.flac');
    makeTone(filler, 5);
    station = await startStation();
    icecast = await startTestIcecast();
    // Tests reach only loopback, so the station is a private address here: allowed on purpose.
    t = await startApp({ ...icecast.env, RELAY_ALLOW_PRIVATE: 'true', RELAY_FILLER_FILE: filler });
    const admin = await adminToken(t);
    await importSongtao(t, admin);
    operator = await userToken(t, admin, 'operator', SONGTAO);
  });
  afterAll(async () => {
    await t?.close();
    await icecast?.stop();
    station?.kill();
    await station?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('refuses, saving nothing, a stream that is not audio, one out of reach, and a body that is not one thing for a while', async () => {
    const notAudio = await schedule({ relay: { url: station.page, durationSeconds: 60 } });
    expect(notAudio.status).toBe(400);
    expect(notAudio.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(notAudio.body.message).toMatch(/does not serve audio/);
    expect(notAudio.body.details).toEqual([{ path: 'body.relay.url', message: notAudio.body.message }]);

    const closed = `http://127.0.0.1:${await freePort()}/live.mp3`;
    const unreachable = await schedule({ relay: { url: closed, durationSeconds: 60 } });
    expect(unreachable.status).toBe(400);
    expect(unreachable.body.message).toMatch(/could not be reached: the server refused the connection/);

    const notHttp = await schedule({ relay: { url: 'ftp://127.0.0.1/live.mp3', durationSeconds: 60 } });
    expect(notHttp.status).toBe(400);
    expect(notHttp.body.message).toMatch(/must be an http:\/\/ or https:\/\/ address/);

    const both = await schedule({
      programmeId: '00000000-0000-4000-8000-000000000000',
      relay: { url: station.live, durationSeconds: 60 },
    });
    expect(both.status).toBe(400);
    expect(JSON.stringify(both.body.details)).toMatch(/either programmeId or relay/);
    expect((await schedule({})).status).toBe(400);
    for (const durationSeconds of [0, 1.5, 600 * 60 + 1, '60'])
      expect((await schedule({ relay: { url: station.live, durationSeconds } })).status).toBe(400);

    // A relay's duration counts like a programme's length: longer than the window is refused.
    const tooLong = await schedule({ relay: { url: station.live, durationSeconds: 31 * 60 } });
    expect(tooLong.status).toBe(409);
    expect(tooLong.body.details[0]).toMatchObject({ regionCode: DAXING, date: today });
    expect(await saved()).toEqual([]);
  });

  it('airs through Icecast: devices get the mount, the worker feeds it, and the filler takes over when the station dies', async () => {
    // Today's slot starts this very minute, so the relay is due at once.
    const minute = Math.floor((Date.now() + 8 * 3600_000) / 60_000) % (24 * 60);
    const slot = await t.api.request(
      'PUT',
      `/api/v1/regions/${SONGTAO}/slots/evening`,
      { start: formatMinute(minute), windowMinutes: 30 },
      { token: operator },
    );
    expect(slot.status).toBe(200);
    const made = await schedule({ relay: { url: station.live, durationSeconds: 10 * 60, title: '县台新闻联播' } });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      programmeId: null,
      title: '县台新闻联播',
      relay: { url: station.live, title: '县台新闻联播', durationSeconds: 600 },
      durationMs: 600_000,
    });

    const device = await enroll(t, (await createEndpoint(t, operator, DAXING_VILLAGE)).enrollmentCode, 'SN-RELAY-1');
    const playlist = await waitFor('the relay in the playlist', async () => {
      const reply = await t.api.get(`/api/v1/device/playlist?date=${today}`, { token: device.token });
      return reply.body.items?.length ? reply.body : undefined;
    });
    const [item] = playlist.items;
    mountUrl = item.stream.url;
    expect(item).toMatchObject({
      id: `${made.body.id}.${today.replaceAll('-', '')}.0`,
      kind: 'relay',
      title: '县台新闻联播',
      durationMs: 600_000,
      stream: {
        url: expect.stringMatching(new RegExp(`^${icecast.url}/test-relay-[0-9a-f]{32}\\.mp3$`)),
        mime: 'audio/mpeg',
      },
    });
    expect(item.media).toBeUndefined();
    // Devices never learn the outside address.
    expect(JSON.stringify(playlist)).not.toContain(station.live);
    const rundown = await t.api.get(`/api/v1/regions/${DAXING_VILLAGE}/rundown?date=${today}`, { token: operator });
    expect(rundown.body.items).toEqual([
      expect.objectContaining({ kind: 'relay', programmeId: null, durationMs: 600_000 }),
    ]);

    // A receipt for the relay item is taken like any other.
    const receipt = await t.api.post(
      '/api/v1/device/receipts',
      {
        receipts: [
          {
            id: '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b',
            itemId: item.id,
            startedAt: new Date().toISOString(),
            endedAt: new Date().toISOString(),
            outcome: 'interrupted',
          },
        ],
      },
      { token: device.token },
    );
    expect(receipt.body).toEqual({ accepted: 1, duplicates: 0 });

    const listener = await waitFor('the mount on air', async () => {
      const one = listen(item.stream.url);
      const heard = await waitFor('first bytes', async () => (one.bytes() > 0 ? true : undefined), 3_000).catch(
        () => false,
      );
      if (heard) return one;
      await one.stop();
      return undefined;
    });
    try {
      // A few seconds (64 kbit/s is 8 KB a second): the MP3 demuxer wants several whole frames after a cut-in.
      await waitFor('24 KB of the station', async () => (listener.bytes() > 24_576 ? true : undefined));
      expect(decodedMp3Seconds(listener.since(0), work)).toBeGreaterThan(0.5);

      station.kill();
      const run = await waitFor('the filler to take over', async () => {
        const [row] = await sql(t.database, 'SELECT fell_back_at, fallback_reason, ended_at FROM relay_run');
        return row?.fell_back_at ? row : undefined;
      });
      expect(run.ended_at).toBeNull();
      const before = listener.bytes();
      // The same listener, on the same mount, keeps hearing MP3 audio: the filler's.
      await waitFor('24 KB more after the station died', async () =>
        listener.bytes() > before + 24_576 ? true : undefined,
      );
      expect(decodedMp3Seconds(listener.since(before), work)).toBeGreaterThan(0.5);
    } finally {
      await listener.stop();
    }
  });

  it('resumes a relay from Postgres after its process and its Redis jobs are lost', async () => {
    const { env, database } = t;
    await t.close({ keep: true });
    await clearQueuePrefix(env.QUEUE_PREFIX);
    t = await startApp(env, { database });
    // The airing has not ended, so the new process's sweep queues it again, on the same mount.
    const listener = await waitFor('the mount on air again', async () => {
      const one = listen(mountUrl);
      const heard = await waitFor('bytes', async () => (one.bytes() > 24_576 ? true : undefined), 8_000).catch(
        () => false,
      );
      if (heard) return one;
      await one.stop();
      return undefined;
    });
    await listener.stop();
    expect(decodedMp3Seconds(listener.since(0), work)).toBeGreaterThan(0.5);
    expect(t.logs.some((line) => /relay .* is due: queued/.test(String(line.msg)))).toBe(true);
    expect(await sql(t.database, 'SELECT ended_at FROM relay_run')).toEqual([{ ended_at: null }]);
  });
});
