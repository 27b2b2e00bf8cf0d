import { execFileSync } from 'node:child_process';
import type { AppConfig } from '../src/infra/config/config';
import { Icecast } from '../src/infra/icecast/icecast';
import { playStream } from '../src/sim/live-stream';
import { ICECAST_SOURCE_PASSWORD, startTestIcecast, type TestIcecast } from './helpers/icecast';
import { spawnProcess, waitFor } from './helpers/processes';

// The simulator's live stream player against a real Icecast 2, whose mount an
// ffmpeg source pushes in real time (HTTP PUT), and one Dalaba's own source
// connection feeds.

let icecast: TestIcecast;
beforeAll(async () => {
  icecast = await startTestIcecast(20);
});
afterAll(() => icecast?.stop());

/** ffmpeg sends `seconds` of a tone to the mount in real time, then ends it; resolves once Icecast lists the mount. */
async function pushTone(mount: string, seconds: number) {
  const target = new URL(`${icecast.url}${mount}`);
  target.username = 'source';
  target.password = ICECAST_SOURCE_PASSWORD;
  const ffmpeg = spawnProcess(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', `sine=frequency=1000:duration=${seconds}`],
      ...['-b:a', '64k', '-f', 'mp3', '-content_type', 'audio/mpeg', '-method', 'PUT', '-auth_type', 'basic'],
      ...['-chunked_post', '0', '-send_expect_100', '0', target.toString()],
    ],
    process.env,
  );
  await waitFor(`Icecast to list ${mount}`, async () => {
    const status = await (await fetch(`${icecast.url}/status-json.xsl`)).text();
    return status.includes(mount) ? true : undefined;
  });
  return ffmpeg;
}

it('plays a live mount as it comes until the source ends it: played, with the bytes read', async () => {
  const ffmpeg = await pushTone('/sim-live-ends.mp3', 3);
  let chunks = 0;
  const play = await playStream(`${icecast.url}/sim-live-ends.mp3`, new AbortController().signal, () => chunks++);
  expect(await ffmpeg.exited).toBe(0);
  expect(play).toEqual({ outcome: 'played', bytes: expect.any(Number), why: 'the stream ended' });
  // 3 s at 64 kbit/s is 24 KB; the burst on connecting and the frames before it may add or take a little.
  expect(play.bytes).toBeGreaterThan(8_000);
  expect(chunks).toBeGreaterThan(1);
});

it('stops when the device stops it (live-ended, an alert), and fails on a mount that is not there', async () => {
  await pushTone('/sim-live-stopped.mp3', 30);
  const stop = new AbortController();
  const playing = playStream(`${icecast.url}/sim-live-stopped.mp3`, stop.signal, () => stop.abort());
  expect(await playing).toEqual({ outcome: 'played', bytes: expect.any(Number), why: 'stopped' });

  const missing = await playStream(`${icecast.url}/sim-live-missing.mp3`, new AbortController().signal);
  expect(missing).toEqual({
    outcome: 'failed',
    bytes: 0,
    why: expect.stringMatching(/^the stream could not be opened: HTTP 404/),
  });
});

it("hears exactly the MP3 bytes Dalaba's source connection sends, with nothing of the transport in them", async () => {
  const icecastSettings = { url: icecast.url, publicUrl: icecast.url, sourcePassword: ICECAST_SOURCE_PASSWORD };
  const source = new Icecast({ icecast: { ...icecastSettings, mountPrefix: 'test' } } as AppConfig).openSource(
    '/sim-live-dalaba.mp3',
    { name: 'test' },
  );
  await source.accepted;
  const mp3 = execFileSync('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=997:duration=4'],
    ...['-b:a', '64k', '-ac', '1', '-f', 'mp3', '-id3v2_version', '0', '-write_xing', '0', 'pipe:1'],
  ]);
  const heard: Buffer[] = [];
  let sent = 0;
  const writer = setInterval(() => {
    source.write(mp3.subarray(sent, sent + 1_000));
    sent += 1_000;
    if (sent >= mp3.length) source.end();
  }, 10);
  try {
    const play = await playStream(`${icecast.url}/sim-live-dalaba.mp3`, new AbortController().signal, (chunk) =>
      heard.push(Buffer.from(chunk)),
    );
    expect(play.outcome).toBe('played');
  } finally {
    clearInterval(writer);
  }
  // Icecast 2.4 relays a chunked body with its chunk-size lines; the source must not send one.
  const received = Buffer.concat(heard);
  expect(received.length).toBeGreaterThan(8_000);
  expect(mp3.indexOf(received)).toBeGreaterThanOrEqual(0);
});
