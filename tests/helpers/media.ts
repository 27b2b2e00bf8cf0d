import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { locateMediaTools } from '../../src/media/tools/locate-tools';
import type { Reply } from './api';
import type { TestApp } from './app';
import { waitFor } from './processes';

export const AUDIO_DIR = join(__dirname, '../fixtures/audio');
export const audioFixture = (name: string) => join(AUDIO_DIR, name);

/** The machine's tools, found as the app finds them, to check its output independently. */
const tools = locateMediaTools({});

export async function upload(
  t: TestApp,
  token: string,
  file: string | { name: string; bytes: Buffer },
  fields: Record<string, string> = {},
  fieldName = 'file',
): Promise<Reply> {
  const { name, bytes } = typeof file === 'string' ? { name: basename(file), bytes: readFileSync(file) } : file;
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append(fieldName, new Blob([new Uint8Array(bytes)], { type: 'application/octet-stream' }), name);
  const response = await fetch(`${t.url}/api/v1/media`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : text, headers: response.headers };
}

/** Polls a media item until it leaves `processing`. */
export async function settled(t: TestApp, token: string, id: string, timeoutMs = 60_000): Promise<any> {
  return waitFor(
    `media ${id} to finish`,
    async () => {
      const reply = await t.api.get(`/api/v1/media/${id}`, { token });
      return reply.body.status === 'processing' ? undefined : reply.body;
    },
    timeoutMs,
  );
}

/** Every file under MEDIA_DIR: finished renditions at the top, anything else is a leftover. */
export function mediaDirContents(dir: string): { finished: string[]; leftovers: string[] } {
  const finished: string[] = [];
  const leftovers: string[] = [];
  const walk = (path: string, top: boolean) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full, false);
      else if (top && /^[0-9a-f]{64}\.mp3$/.test(name)) finished.push(name);
      else leftovers.push(full);
    }
  };
  walk(dir, true);
  return { finished: finished.sort(), leftovers };
}

/** The leftovers under MEDIA_DIR once a finished job has had a moment to clear its input (it does so just after the row turns ready). */
export async function leftoversAfterJobs(dir: string): Promise<string[]> {
  await waitFor(
    'job files to be cleared',
    async () => (mediaDirContents(dir).leftovers.length ? undefined : true),
    5_000,
  ).catch(() => undefined);
  return mediaDirContents(dir).leftovers;
}

export interface AudioFacts {
  codec: string;
  channels: number;
  sampleRate: number;
  bitRate: number;
  durationSeconds: number;
  integratedLufs: number;
  truePeakDb: number;
  tags: Record<string, string>;
}

/** What ffprobe and ffmpeg's ebur128 meter say about a file, measured apart from the app's own code. */
export function audioFacts(path: string): AudioFacts {
  const probe = JSON.parse(
    execFileSync(tools.ffprobe.command, ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', path], {
      encoding: 'utf8',
    }),
  );
  const stream = probe.streams.find((s: { codec_type: string }) => s.codec_type === 'audio');
  const meter = spawnSync(
    tools.ffmpeg.command,
    ['-nostdin', '-hide_banner', '-i', path, '-af', 'ebur128=peak=true', '-f', 'null', '-'],
    {
      encoding: 'utf8',
    },
  ).stderr;
  const summary = meter.slice(meter.lastIndexOf('Summary:'));
  return {
    codec: stream.codec_name,
    channels: stream.channels,
    sampleRate: Number(stream.sample_rate),
    bitRate: Number(stream.bit_rate),
    durationSeconds: Number(probe.format.duration),
    integratedLufs: Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)?.[1]),
    truePeakDb: Number(/Peak:\s+(-?[\d.]+) dBFS/.exec(summary)?.[1]),
    tags: probe.format.tags ?? {},
  };
}

/** A test tone (a long one has a job still running when a test interferes with it): MP3 when `path` ends in .mp3, else FLAC. */
export function makeTone(path: string, seconds: number): void {
  execFileSync(tools.ffmpeg.command, [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=440:sample_rate=22050:duration=${seconds}`,
    '-af',
    'volume=-12dB',
    '-c:a',
    path.endsWith('.mp3') ? 'libmp3lame' : 'flac',
    path,
  ]);
}

/** Pids of the processes whose command line mentions `text` (e.g. an ffmpeg working on one media item). */
export function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/**
 * A recording made too loud: the spoken announcement pushed 20 dB and hard
 * clipped at full scale as 16-bit PCM (a mixer's input gain left up), so its
 * true peak is over 0 dBTP, and encoding it to MP3 overshoots further.
 */
export function makeClippedRecording(path: string): void {
  execFileSync(tools.ffmpeg.command, [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-i',
    audioFixture('announcement-cmn.wav'),
    '-af',
    'volume=20dB',
    '-c:a',
    'pcm_s16le',
    path,
  ]);
}
