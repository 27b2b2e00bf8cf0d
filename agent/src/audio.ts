import { type ChildProcess, spawn } from 'node:child_process';
import type { AgentConfig } from './config';
import type { Journal } from './journal';
import { applyGain, BYTES_PER_SAMPLE, PcmQueue, SAMPLE_RATE, toneSample, volumeGain } from './pcm';

/** The horn's clock runs this far ahead of the wall clock: what the player decides now is written to the output this early, so it airs on its sample. */
export const LEAD_MS = 500;
// The output is fed this far ahead of real time (less than LEAD_MS, so a start decided LEAD_MS ahead is never already written).
const FILL_AHEAD_MS = 300;
const TICK_MS = 20;
// A decoder runs ahead by at most this much audio, then waits: a 2-hour programme is not decoded into memory.
const DECODED_AHEAD_BYTES = 10 * SAMPLE_RATE * BYTES_PER_SAMPLE;
const REOPEN_MS = 5000;

const perSample = SAMPLE_RATE / 1000;

export interface SourceSpec {
  /** A cached file or a stream URL, anything ffmpeg reads. */
  input: string;
  /** Alerts repeat their audio until the player ends them (their durationMs covers every repeat). */
  loop?: boolean;
  /** A live or relayed stream ended by itself: `bytes` is how much audio it gave. */
  ended?(bytes: number, why: string): void;
}

interface Source {
  id: string;
  spec: SourceSpec;
  process: ChildProcess;
  pcm: PcmQueue;
  /** Bytes of its audio the output has reached (aired or, if the decoder was late, skipped to stay on time). */
  position: number;
  produced: number;
  startSample: number;
  endSample: number;
  exited: boolean;
  errors: string;
  /** Started without being prepared (an alert, a stream): it starts when its decoder has audio, not with its head cut off. */
  late?: boolean;
}

/**
 * The loudspeaker's audio: ONE long-lived ffmpeg writing to ALSA (or a WAV
 * file), fed raw PCM by this engine at the pace of the clock, silence
 * between items. Each item is decoded by an ffmpeg of its own into the same
 * format. Starting an item is placing its first sample at the sample its
 * start time falls on, so a programme starts when it should, and cutting one
 * off (an alert) is simply writing something else from the next samples.
 */
export class AudioEngine {
  private output: ChildProcess | undefined;
  private anchorWall = 0;
  private anchorMono = 0;
  private written = 0;
  private timer: NodeJS.Timeout | undefined;
  private current: Source | undefined;
  // The item cut off by the current one: it airs until the sample the current one starts on.
  private ending: Source | undefined;
  private readonly prepared = new Map<string, Source>();
  private tone: { startSample: number; endSample: number; done: () => void } | undefined;
  private closing = false;
  volume = 60;
  muted = false;

  constructor(
    private readonly config: AgentConfig,
    private readonly journal: Journal,
    /** Why the output is not working, or undefined once it works again. */
    private readonly outputFault: (why: string | undefined) => void,
  ) {}

  get playing(): boolean {
    return this.current !== undefined;
  }

  /**
   * Starts the output process. Samples are numbered from the first open on;
   * an output opened again (after ffmpeg died: a USB card pulled out) goes on
   * from the sample of the present instant, the gap being lost, not delayed.
   */
  open(): void {
    const { ffmpeg, output } = this.config;
    const sink =
      output.kind === 'alsa'
        ? ['-f', 'alsa', output.device]
        : ['-fflags', '+bitexact', '-flags:a', '+bitexact', '-f', 'wav', '-y', output.path];
    const args = ['-hide_banner', '-loglevel', 'error', '-f', 's16le', '-ar', String(SAMPLE_RATE), '-ac', '1'];
    const process = spawn(ffmpeg, [...args, '-i', 'pipe:0', ...sink], { stdio: ['pipe', 'ignore', 'pipe'] });
    let errors = '';
    process.stderr?.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-500)));
    process.stdin?.on('error', () => undefined);
    process.on('exit', (code) => {
      if (this.closing || this.output !== process) return;
      this.output = undefined;
      this.outputFault(`the audio output stopped (ffmpeg exit ${code}): ${errors.trim() || 'no message'}`);
      setTimeout(() => !this.closing && this.open(), REOPEN_MS).unref();
    });
    setTimeout(() => this.output === process && this.outputFault(undefined), REOPEN_MS).unref();
    this.output = process;
    if (this.written === 0) {
      this.anchorWall = Date.now();
      this.anchorMono = performance.now();
    } else this.written = Math.floor((performance.now() - this.anchorMono) * perSample);
    this.journal.event('output-opened', {
      // The instant the new output's first sample stands for.
      at: Math.round(this.anchorWall + this.written / perSample),
      sampleRate: SAMPLE_RATE,
      channels: 1,
      output: output.kind === 'alsa' ? `alsa:${output.device}` : `wav:${output.path}`,
    });
    clearInterval(this.timer);
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.tick();
  }

  /** The wall clock was set: the samples keep their pace, the wall time they stand for moves with it. */
  reanchor(): void {
    this.anchorWall = Date.now() - (performance.now() - this.anchorMono);
    this.journal.event('output-reanchored', { at: this.anchorWall });
  }

  /** The sample an instant of the device's clock falls on. */
  sampleAt(ms: number): number {
    return Math.round((ms - this.anchorWall) * perSample);
  }

  /** Starts decoding ahead of an item's start, so its first sample is ready in time. */
  prepare(id: string, spec: SourceSpec): void {
    if (this.prepared.has(id) || this.current?.id === id) return;
    this.prepared.set(id, this.decode(id, spec));
  }

  /** Stops the decoders started ahead for items no longer to air (withdrawn, skipped, cancelled). */
  keepPrepared(ids: Set<string>): void {
    for (const [id, source] of this.prepared) {
      if (ids.has(id)) continue;
      this.prepared.delete(id);
      this.close(source);
    }
  }

  /** Airs `id` from the sample `atMs` falls on (or the next one not yet written), cutting off what plays. */
  start(id: string, spec: SourceSpec, atMs: number): number {
    const prepared = this.prepared.get(id);
    this.prepared.delete(id);
    const source = prepared ?? this.decode(id, spec);
    source.late = !prepared;
    source.startSample = Math.max(this.sampleAt(atMs), this.written);
    if (this.current) {
      this.current.endSample = Math.min(this.current.endSample, source.startSample);
      if (this.ending) this.close(this.ending);
      this.ending = this.current;
    }
    this.current = source;
    return source.startSample;
  }

  /** Ends `id` at the sample `atMs` falls on: its audio is not written past it. */
  stop(id: string, atMs: number): void {
    const prepared = this.prepared.get(id);
    if (prepared) {
      this.prepared.delete(id);
      this.close(prepared);
    }
    if (this.current?.id !== id) return;
    this.current.endSample = Math.max(this.sampleAt(atMs), this.written);
  }

  /** A 1 kHz tone for `ms` from the next unwritten sample, over whatever plays. Resolves when it is over. */
  playTone(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.tone?.done();
      const startSample = this.written;
      this.tone = { startSample, endSample: startSample + Math.round(ms * perSample), done: resolve };
    });
  }

  async shutdown(): Promise<void> {
    this.closing = true;
    clearInterval(this.timer);
    for (const source of this.prepared.values()) this.close(source);
    if (this.current) this.close(this.current);
    if (this.ending) this.close(this.ending);
    this.tone?.done();
    const output = this.output;
    this.output = undefined;
    if (!output || output.exitCode !== null) return;
    const exited = new Promise((resolve) => output.once('exit', resolve));
    // Closing its input lets ffmpeg finish the file (a WAV's header gets its length).
    output.stdin?.end();
    const kill = setTimeout(() => output.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(kill);
  }

  private decode(id: string, spec: SourceSpec): Source {
    const args = ['-hide_banner', '-loglevel', 'error', ...(spec.loop ? ['-stream_loop', '-1'] : [])];
    const process = spawn(
      this.config.ffmpeg,
      [...args, '-i', spec.input, '-vn', '-f', 's16le', '-ac', '1', '-ar', String(SAMPLE_RATE), 'pipe:1'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const source: Source = {
      id,
      spec,
      process,
      pcm: new PcmQueue(),
      position: 0,
      produced: 0,
      startSample: Infinity,
      endSample: Infinity,
      exited: false,
      errors: '',
    };
    process.stdout?.on('data', (chunk: Buffer) => {
      source.pcm.push(chunk);
      source.produced += chunk.length;
      if (source.pcm.bytes > DECODED_AHEAD_BYTES) process.stdout?.pause();
    });
    process.stderr?.on('data', (chunk: Buffer) => (source.errors = (source.errors + chunk.toString()).slice(-300)));
    process.on('error', (error) => (source.errors = error.message));
    process.on('close', () => (source.exited = true));
    return source;
  }

  private close(source: Source): void {
    if (!source.exited) source.process.kill('SIGKILL');
    source.exited = true;
    if (this.current === source) this.current = undefined;
    if (this.ending === source) this.ending = undefined;
  }

  private tick(): void {
    const output = this.output;
    if (!output?.stdin?.writable) return;
    const target = Math.floor((performance.now() - this.anchorMono + FILL_AHEAD_MS) * perSample);
    if (target <= this.written) return;
    const count = target - this.written;
    const pcm = Buffer.alloc(count * BYTES_PER_SAMPLE);
    this.mix(pcm, this.written, count);
    applyGain(pcm, volumeGain(this.volume, this.muted));
    this.written = target;
    output.stdin.write(pcm);
  }

  /** Fills `pcm` (samples `from` … `from + count`) with what airs: the item cut off until its last sample, the current one, silence around them, the tone over them. */
  private mix(pcm: Buffer, from: number, count: number): void {
    const current = this.current;
    if (current?.late && current.startSample < from + count && current.pcm.bytes === 0 && !current.exited) {
      // Its decoder has nothing yet: it starts after this chunk, and what it cuts off plays on until then.
      if (this.ending?.endSample === current.startSample) this.ending.endSample = from + count;
      current.startSample = from + count;
    } else if (current) current.late = false;
    if (this.ending) this.mixSource(this.ending, pcm, from, count);
    if (this.current) this.mixSource(this.current, pcm, from, count);
    const tone = this.tone;
    if (!tone) return;
    const begin = Math.max(from, tone.startSample);
    const end = Math.min(from + count, tone.endSample);
    for (let sample = begin; sample < end; sample++)
      pcm.writeInt16LE(toneSample(sample - tone.startSample), (sample - from) * BYTES_PER_SAMPLE);
    if (from + count >= tone.endSample) {
      this.tone = undefined;
      tone.done();
    }
  }

  private mixSource(source: Source, pcm: Buffer, from: number, count: number): void {
    const begin = Math.max(from, source.startSample);
    const end = Math.min(from + count, source.endSample);
    if (begin < end) {
      // Where in its own audio the output now is: a decoder that was late has its late part skipped, to stay on time.
      const at = (begin - source.startSample) * BYTES_PER_SAMPLE;
      if (source.position < at) source.position += source.pcm.take(at - source.position);
      if (source.position >= at) {
        const length = (end - begin) * BYTES_PER_SAMPLE;
        source.position += source.pcm.take(length, pcm, (begin - from) * BYTES_PER_SAMPLE);
      }
      if (source.pcm.bytes < DECODED_AHEAD_BYTES / 2) source.process.stdout?.resume();
    }
    if (from + count >= source.endSample) this.close(source);
    else if (source === this.current && source.exited && source.pcm.bytes === 0 && source.spec.ended) {
      // A stream ran out by itself; a file just leaves silence until the player ends its item.
      const spec = source.spec;
      source.spec = { ...spec, ended: undefined };
      spec.ended?.(source.produced, source.errors.trim() || 'the stream ended');
    }
  }
}
