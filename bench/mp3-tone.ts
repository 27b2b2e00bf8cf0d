import { spawn } from 'node:child_process';

// Finding a test tone in an MP3 stream as it arrives, without decoding it:
// LAME encodes digital silence as the same frame over and over, so once a
// frame has repeated, the first run of frames unlike every silent one seen is
// the tone. Frames that differ only by the padding bit (44.1 kHz) repeat in
// their own turn and join the silent ones. A decoder (ffmpeg to PCM, the tone
// found by amplitude) checks this on one device per run.

const BITRATES_KBPS = {
  mpeg1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  mpeg2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const SAMPLE_RATES: Record<number, number[]> = {
  3: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  0: [11025, 12000, 8000],
};
// Frames unlike every silent one, in a row, before they count as the tone (not a new variant of silence).
const TONE_RUN = 3;
// A stream that joined in silence repeats a frame within this many (the first may carry older bits).
const SILENCE_WITHIN = 6;

interface FrameHeader {
  bytes: number;
  samples: number;
  sampleRate: number;
}

/** An MPEG audio Layer III frame header at `at`, or undefined. */
export function frameHeader(buffer: Buffer, at: number): FrameHeader | undefined {
  if (at + 4 > buffer.length || buffer[at] !== 0xff || (buffer[at + 1] & 0xe0) !== 0xe0) return undefined;
  const version = (buffer[at + 1] >> 3) & 3;
  const layer = (buffer[at + 1] >> 1) & 3;
  const bitrateIndex = buffer[at + 2] >> 4;
  const rateIndex = (buffer[at + 2] >> 2) & 3;
  if (version === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return undefined;
  const mpeg1 = version === 3;
  const sampleRate = SAMPLE_RATES[version][rateIndex];
  const bitrate = (mpeg1 ? BITRATES_KBPS.mpeg1 : BITRATES_KBPS.mpeg2)[bitrateIndex] * 1000;
  const padding = (buffer[at + 2] >> 1) & 1;
  return {
    bytes: Math.floor(((mpeg1 ? 144 : 72) * bitrate) / sampleRate) + padding,
    samples: mpeg1 ? 1152 : 576,
    sampleRate,
  };
}

/** One listener's stream: its frames as they arrived, and where the tone began. */
export class ToneDetector {
  /** When each whole frame had arrived (wall clock, ms). */
  readonly frameArrivals: number[] = [];
  /** The index of the tone's first frame, once found; -1 when the stream began inside the tone. */
  toneFrame: number | undefined;
  /** The stream's frame size and sample rate, from its first header. */
  samplesPerFrame = 0;
  sampleRate = 0;
  private pending = Buffer.alloc(0);
  private synced = false;
  private previous = '';
  private readonly silent = new Set<string>();
  private run: string[] = [];

  get frameSeconds(): number {
    return this.sampleRate ? this.samplesPerFrame / this.sampleRate : 0;
  }

  /** When the tone's first frame arrived. */
  get toneAt(): number | undefined {
    return this.toneFrame === undefined || this.toneFrame < 0 ? undefined : this.frameArrivals[this.toneFrame];
  }

  feed(chunk: Buffer, at: number): void {
    let buffer = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let offset = 0;
    for (;;) {
      const header = frameHeader(buffer, offset);
      // Out of step (or not yet in it): a header counts only when another one follows it.
      if (!header || (!this.synced && !frameHeader(buffer, offset + header.bytes))) {
        if (header && offset + header.bytes + 4 > buffer.length) break;
        if (offset + 4 > buffer.length) break;
        this.synced = false;
        offset++;
        continue;
      }
      if (offset + header.bytes > buffer.length) break;
      this.synced = true;
      this.samplesPerFrame ||= header.samples;
      this.sampleRate ||= header.sampleRate;
      // The header's padding bit aside, a frame's bytes are what it says.
      this.frame(buffer.toString('latin1', offset + 4, offset + header.bytes), at);
      offset += header.bytes;
    }
    buffer = buffer.subarray(offset);
    this.pending = Buffer.from(buffer);
  }

  private frame(body: string, at: number): void {
    const index = this.frameArrivals.push(at) - 1;
    const repeated = body === this.previous;
    this.previous = body;
    if (this.toneFrame !== undefined) return;
    if (repeated || this.silent.has(body)) {
      this.silent.add(body);
      for (const earlier of this.run) this.silent.add(earlier);
      this.run = [];
      return;
    }
    // No silence in the first frames: the stream began inside the tone (its end would look like an onset).
    if (this.silent.size === 0) {
      if (index >= SILENCE_WITHIN) this.toneFrame = -1;
      return;
    }
    this.run.push(body);
    if (this.run.length === TONE_RUN) this.toneFrame = index - TONE_RUN + 1;
  }
}

/**
 * Decodes what one listener received with ffmpeg and finds the tone by
 * amplitude: the index of the frame its first loud sample came from, or
 * undefined if none was loud.
 */
export function decodedToneFrame(mp3: Buffer, samplesPerFrame: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const ffmpeg = spawn(
      'ffmpeg',
      ['-hide_banner', '-loglevel', 'error', '-f', 'mp3', '-i', 'pipe:0'].concat(['-f', 's16le', '-ac', '1', 'pipe:1']),
      { stdio: ['pipe', 'pipe', 'ignore'] },
    );
    const pcm: Buffer[] = [];
    ffmpeg.stdout.on('data', (chunk: Buffer) => pcm.push(chunk));
    ffmpeg.on('error', reject);
    ffmpeg.stdin.on('error', () => undefined);
    ffmpeg.on('close', () => {
      const samples = Buffer.concat(pcm);
      // 1/32 of full scale: the tone is sent at half; silence decodes to (near) zero.
      for (let i = 0; i + 1 < samples.length; i += 2)
        if (Math.abs(samples.readInt16LE(i)) > 1024) return resolve(Math.floor(i / 2 / samplesPerFrame));
      resolve(undefined);
    });
    ffmpeg.stdin.end(mp3);
  });
}
