import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { IcecastSource } from '../infra/icecast/icecast';
import type { Tool } from '../media/tools/locate-tools';
import type { AudioContainer } from './domain/audio-container';

// The speaker's audio is decoded to PCM at this shape, then encoded once for the whole session.
const BYTES_PER_SAMPLE = 2;
// A pause in the speaker's audio longer than this is filled with silence, so
// Icecast keeps the mount (it drops a silent source) and loudspeakers keep playing.
const GAP_MS = 300;
const FILL_EVERY_MS = 100;
// How long ffmpeg may take to finish after its input ends.
const FLUSH_MS = 3_000;

export interface PcmShape {
  sampleRate: number;
  channels: number;
  bitrateKbps: number;
}

export type PipelineFailure = 'stream-failed' | 'bad-audio';

/**
 * One live session's audio on this process: whichever connection of the
 * speaker's is current is decoded (one ffmpeg each) to PCM, and one encoder
 * for the whole session turns that, with silence in the gaps, into the MP3
 * sent to the Icecast mount and written to the recording. A speaker who
 * reconnects continues the same stream and the same recording.
 */
export class LivePipeline {
  private readonly encoder: ChildProcessWithoutNullStreams;
  private readonly recording: WriteStream;
  private decoder: ChildProcessWithoutNullStreams | null = null;
  private readonly fill: NodeJS.Timeout;
  private lastAudioAt = Date.now();
  private lastWriteAt = Date.now();
  private stopping = false;
  private failed = false;
  private readonly finished: Promise<void>;
  /** Bytes of MP3 made so far. */
  encodedBytes = 0;

  constructor(
    private readonly ffmpeg: Tool,
    private readonly shape: PcmShape,
    private readonly source: IcecastSource,
    recordingPath: string,
    private readonly onFailure: (reason: PipelineFailure, detail: string) => void,
  ) {
    this.recording = createWriteStream(recordingPath, { flags: 'a' });
    this.encoder = this.run([
      ...['-f', 's16le', '-ar', String(shape.sampleRate), '-ac', String(shape.channels), '-i', 'pipe:0'],
      ...['-c:a', 'libmp3lame', '-b:a', `${shape.bitrateKbps}k`, '-write_xing', '0', '-id3v2_version', '0'],
      ...['-flush_packets', '1', '-f', 'mp3', 'pipe:1'],
    ]);
    this.encoder.stdout.on('data', (chunk: Buffer) => {
      this.encodedBytes += chunk.length;
      this.recording.write(chunk);
      this.source.write(chunk);
    });
    this.encoder.stdin.on('error', () => undefined);
    this.finished = new Promise((resolve) => this.encoder.once('close', () => resolve()));
    this.encoder.once('close', (code) => {
      if (!this.stopping) this.fail('stream-failed', `the encoder stopped (${code})`);
    });
    void this.source.closed.then(({ lost }) => {
      if (lost && !this.stopping) this.fail('stream-failed', `Icecast: ${lost}`);
    });
    this.fill = setInterval(() => this.fillGap(), FILL_EVERY_MS);
  }

  /** The speaker's (new) connection: its bytes are decoded from here on. */
  attach(container: AudioContainer): void {
    this.detach();
    const decoder = this.run([
      ...['-fflags', 'nobuffer', '-flags', 'low_delay', '-probesize', '4096', '-analyzeduration', '0'],
      ...['-f', container, '-i', 'pipe:0', '-vn'],
      ...['-f', 's16le', '-ar', String(this.shape.sampleRate), '-ac', String(this.shape.channels)],
      ...['-flush_packets', '1', 'pipe:1'],
    ]);
    let decoded = 0;
    let errors = '';
    decoder.stderr.on('data', (chunk) => (errors = (errors + chunk).slice(-500)));
    decoder.stdout.on('data', (pcm: Buffer) => {
      decoded += pcm.length;
      this.lastAudioAt = this.lastWriteAt = Date.now();
      if (!this.stopping) this.encoder.stdin.write(pcm);
    });
    decoder.stdin.on('error', () => undefined);
    decoder.once('close', (code) => {
      if (this.decoder === decoder) this.decoder = null;
      // A stream that never decoded to a sample is not audio; one cut short after some is a dropped connection.
      if (code !== 0 && code !== null && decoded === 0 && !this.stopping)
        this.fail('bad-audio', errors.trim().split('\n').pop() ?? `ffmpeg exited ${code}`);
    });
    this.decoder = decoder;
  }

  /** Bytes from the speaker's current connection. */
  feed(chunk: Buffer): void {
    if (this.decoder && !this.decoder.stdin.writableEnded) this.decoder.stdin.write(chunk);
  }

  /** The speaker's connection went away: what it sent is decoded to the end, then silence. */
  detach(): void {
    const decoder = this.decoder;
    if (!decoder) return;
    this.decoder = null;
    decoder.stdin.end();
    setTimeout(() => decoder.kill('SIGKILL'), FLUSH_MS).unref();
  }

  /** Ends the stream: the encoder finishes what it has, the recording is closed, the mount goes away. */
  async stop(): Promise<void> {
    if (this.stopping) return this.finished;
    this.stopping = true;
    clearInterval(this.fill);
    this.detach();
    this.encoder.stdin.end();
    const kill = setTimeout(() => this.encoder.kill('SIGKILL'), FLUSH_MS);
    await this.finished;
    clearTimeout(kill);
    this.source.end();
    await new Promise<void>((resolve) => this.recording.end(() => resolve()));
  }

  private fillGap(): void {
    const now = Date.now();
    if (now - this.lastAudioAt < GAP_MS) return;
    const samples = Math.round(((now - this.lastWriteAt) / 1000) * this.shape.sampleRate);
    this.lastWriteAt = now;
    if (samples > 0) this.encoder.stdin.write(Buffer.alloc(samples * this.shape.channels * BYTES_PER_SAMPLE));
  }

  private fail(reason: PipelineFailure, detail: string): void {
    if (this.failed) return;
    this.failed = true;
    this.onFailure(reason, detail);
  }

  private run(args: string[]): ChildProcessWithoutNullStreams {
    const child = spawn(this.ffmpeg.command, [
      ...this.ffmpeg.prefixArgs,
      '-hide_banner',
      '-loglevel',
      'error',
      ...args,
    ]);
    child.on('error', (error) => this.fail('stream-failed', `ffmpeg: ${error.message}`));
    return child;
  }
}
