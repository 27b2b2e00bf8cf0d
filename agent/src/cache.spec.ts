import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDiskFull, MediaCache, writeWhole } from './cache';
import { Http, Scheduler } from './protocol';

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('the media cache', () => {
  const audio = Buffer.from('ID3 pretend this is an mp3 '.repeat(1000));
  const digest = sha(audio);
  let dir: string;
  let server: Server;
  let ranges: (string | undefined)[];
  let served: Buffer;
  let cache: MediaCache;
  let run: AbortController;
  let scheduler: Scheduler;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'agent-cache-'));
    mkdirSync(join(dir, 'media'));
    ranges = [];
    served = audio;
    server = createServer((request, response) => {
      ranges.push(request.headers.range);
      const from = Number(/^bytes=(\d+)-$/.exec(request.headers.range ?? '')?.[1] ?? 0);
      response.writeHead(from > 0 ? 206 : 200, { 'content-type': 'audio/mpeg' }).end(served.subarray(from));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    run = new AbortController();
    scheduler = new Scheduler({ now: () => Date.now() });
    const log = { log: () => undefined, error: () => undefined };
    const http = new Http(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, run.signal, scheduler, log);
    cache = new MediaCache(join(dir, 'media'), http, run.signal);
  });

  afterEach(async () => {
    run.abort();
    scheduler.stop();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const media = { url: `/media/${digest}.mp3`, sha256: digest, bytes: audio.length, mime: 'audio/mpeg' };

  it('resumes a download a power cut interrupted, and keeps it once its bytes hash to its name', async () => {
    writeFileSync(join(dir, 'media', `${digest}.partial`), audio.subarray(0, 10_000));
    expect(await cache.fetch(media)).toEqual({ ok: true, bytes: audio.length, resumedAt: 10_000 });
    expect(ranges).toEqual(['bytes=10000-']);
    expect(cache.has(digest)).toBe(true);
    expect(readdirSync(join(dir, 'media'))).toEqual([`${digest}.mp3`]);
  });

  it('never caches bytes that do not hash to their name, nor leaves them lying about', async () => {
    served = Buffer.from('a proxy’s error page');
    expect(await cache.fetch(media)).toMatchObject({ ok: false, corrupt: true });
    expect(cache.has(digest)).toBe(false);
    expect(readdirSync(join(dir, 'media'))).toEqual([]);
  });

  it('deletes a cached file found damaged, at start or before airing it', async () => {
    const other = Buffer.from('another rendition');
    writeFileSync(join(dir, 'media', `${digest}.mp3`), audio);
    writeFileSync(join(dir, 'media', `${sha(other)}.mp3`), Buffer.concat([other, Buffer.from('!')]));
    await cache.scan();
    expect(cache.digests().sort()).toEqual([digest, sha(other)].sort());
    expect(await cache.verifyAll()).toEqual([sha(other)]);
    expect(cache.digests()).toEqual([digest]);
    writeFileSync(join(dir, 'media', `${digest}.mp3`), audio.subarray(1));
    expect(await cache.verify(digest)).toBe(false);
    expect(existsSync(cache.path(digest))).toBe(false);
    expect(cache.has(digest)).toBe(false);
  });

  it('prunes what no playlist needs, partial downloads included', async () => {
    await cache.fetch(media);
    writeFileSync(join(dir, 'media', `${'0'.repeat(64)}.partial`), 'half');
    expect(await cache.prune(new Set([digest]))).toEqual([]);
    expect(readdirSync(join(dir, 'media'))).toEqual([`${digest}.mp3`]);
    expect(await cache.prune(new Set())).toEqual([digest]);
    expect(readdirSync(join(dir, 'media'))).toEqual([]);
  });
});

describe('writing a downloaded chunk', () => {
  /** A file on a card with `room` bytes left: a write takes what fits (a short write), then raises ENOSPC. */
  const card = (room: number) => {
    const kept: number[] = [];
    return {
      kept,
      write: async (chunk: Uint8Array, offset = 0, length = chunk.length - offset) => {
        if (room === 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        const taken = Math.min(length, room, 7);
        kept.push(...chunk.subarray(offset, offset + taken));
        room -= taken;
        return { bytesWritten: taken, buffer: chunk };
      },
    };
  };

  it('writes the rest of a chunk a short write left, until it is whole', async () => {
    const file = card(100);
    await writeWhole(file as never, Buffer.from('twenty bytes of mp3!'));
    expect(Buffer.from(file.kept).toString()).toBe('twenty bytes of mp3!');
  });

  it('raises the full card, not a chunk half written as if whole', async () => {
    const file = card(12);
    const failed = await writeWhole(file as never, Buffer.from('twenty bytes of mp3!')).catch(
      (error: unknown) => error,
    );
    expect(isDiskFull(failed)).toBe(true);
    expect(file.kept).toHaveLength(12);
  });
});
