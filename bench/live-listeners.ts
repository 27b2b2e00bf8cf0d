import { playStream } from '../src/sim/live-stream';
import { decodedToneFrame, ToneDetector } from './mp3-tone';
import { wallClock } from './sse-listeners';

// The speaker's mouth and the loudspeakers' ears of bench:live, shared by the
// Dalaba run and the baseline.

const SAMPLE_RATE = 48_000;
const CHUNK_MS = 100;
const CHUNK_SAMPLES = (SAMPLE_RATE * CHUNK_MS) / 1000;
// Not a divisor of any MP3 frame's length, so no two tone frames are alike.
const TONE_HZ = 997;
const TONE_MS = 1_500;

/**
 * A microphone: 16-bit mono PCM in a WAV stream of unknown length, handed to
 * `send` in real time, 100 ms a chunk. Silence until asked for the tone, then
 * a half-scale 997 Hz tone for 1.5 s, then silence again.
 */
export class Mouth {
  private timer: NodeJS.Timeout | undefined;
  private sent = 0;
  private toneFrom: number | undefined;
  private toneSent: ((at: number) => void) | undefined;

  constructor(private readonly send: (chunk: Buffer) => void) {}

  start(): void {
    this.send(wavHeader());
    const started = wallClock();
    const tick = (): void => {
      this.send(this.chunk());
      // Each chunk at its own time from the start, so the delays of the timers do not add up.
      this.timer = setTimeout(tick, Math.max(0, started + ++this.sent * CHUNK_MS - wallClock()));
    };
    tick();
  }

  /** The tone starts with the next chunk: resolves with when that chunk was handed over (wall clock, ms). */
  tone(): Promise<number> {
    return new Promise((resolve) => {
      this.toneFrom = this.sent;
      this.toneSent = resolve;
    });
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private chunk(): Buffer {
    const chunk = Buffer.alloc(CHUNK_SAMPLES * 2);
    const from = this.toneFrom;
    if (from === undefined || (this.sent - from) * CHUNK_MS >= TONE_MS) return chunk;
    for (let i = 0; i < CHUNK_SAMPLES; i++) {
      const n = (this.sent - from) * CHUNK_SAMPLES + i;
      chunk.writeInt16LE(Math.round(16_383 * Math.sin((2 * Math.PI * TONE_HZ * n) / SAMPLE_RATE)), i * 2);
    }
    if (this.sent === from) queueMicrotask(() => this.toneSent?.(wallClock()));
    return chunk;
  }
}

/** A WAV header for a stream whose length is not known: ffmpeg reads it from a pipe until it ends. */
function wavHeader(): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(0xffffffff, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(SAMPLE_RATE, 24);
  header.writeUInt32LE(SAMPLE_RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(0xffffffff, 40);
  return header;
}

/** One loudspeaker playing a mount with the simulator's own stream player, noting when each frame came. */
export class Ear {
  /** When it was told to play (the live-started event, or the mount appearing). */
  toldAt: number | undefined;
  firstByteAt: number | undefined;
  why = '';
  readonly detector = new ToneDetector();
  private readonly received: Buffer[] = [];
  private readonly stopper = new AbortController();
  private heard: () => void = () => undefined;
  /** Resolves once the tone's first frame arrived. */
  readonly toneHeard = new Promise<void>((resolve) => (this.heard = resolve));

  /** Told to play `url` in `waitMs` (the baseline's pace) and, of that, `ownWaitMs` of the device's own (--spread-ms, part of its start-up). */
  play(url: string, waitMs = 0, ownWaitMs = 0): void {
    this.toldAt = wallClock() + waitMs;
    waitMs += ownWaitMs;
    if (waitMs > 0) setTimeout(() => this.open(url), waitMs);
    else this.open(url);
  }

  private open(url: string): void {
    if (this.stopper.signal.aborted) return;
    void playStream(url, this.stopper.signal, (chunk) => {
      const at = wallClock();
      this.firstByteAt ??= at;
      const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      this.received.push(bytes);
      this.detector.feed(bytes, at);
      // Heard, or never will be (it joined inside the tone).
      if (this.detector.toneFrame !== undefined) this.heard();
    }).then(({ why }) => (this.why = why));
  }

  stop(): void {
    this.stopper.abort();
  }

  /**
   * After the run: when the frame the decoder first plays the tone from
   * arrived, and when a device that plays from its first byte in real time
   * would sound it (the burst Icecast sends on connecting is played first).
   */
  async decoded(): Promise<{ frame: number; at: number; heardAt: number } | undefined> {
    const { detector, firstByteAt } = this;
    if (firstByteAt === undefined || !detector.frameSeconds) return undefined;
    const frame = await decodedToneFrame(Buffer.concat(this.received), detector.samplesPerFrame);
    const at = frame === undefined ? undefined : detector.frameArrivals[frame];
    if (frame === undefined || at === undefined) return undefined;
    return { frame, at, heardAt: Math.max(at, firstByteAt + frame * detector.frameSeconds * 1000) };
  }
}
