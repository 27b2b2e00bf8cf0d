import { type ChildProcess, spawn } from 'node:child_process';
import ffmpeg, { type FfprobeData } from 'fluent-ffmpeg';
import { measureArguments, renderArguments, verifyArguments } from './domain/ffmpeg-arguments';
import type { Probe } from './domain/input-checks';
import { decodedSecondsIn, parseEbur128Summary, type RenderPlan } from './domain/loudness';
import { MediaRejected } from './domain/media-rejected';
import type { Rendition } from './domain/rendition';
import type { Tool } from './tools/locate-tools';
import type { MeasuredInput, ProgressListener, Transcoder } from './transcoder';

// A pass slower than real time has hung (ffmpeg runs tens of times faster on
// audio), so one is killed after the longest allowed input's length, and the
// job is retried.
const MIN_TIMEOUT_SECONDS = 300;
// Enough of ffmpeg's stderr for its summary and its last error lines.
const STDERR_KEPT = 64 * 1024;

function seconds(value: unknown): number | undefined {
  const parsed = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function toProbe(data: FfprobeData): Probe {
  return {
    formatName: data.format.format_name,
    durationSeconds: seconds(data.format.duration),
    streams: data.streams.map((stream) => ({
      index: stream.index,
      codecType: String(stream.codec_type),
      codecName: stream.codec_name,
      attachedPicture: Number(stream.disposition?.attached_pic) === 1,
      durationSeconds: seconds(stream.duration),
    })),
  };
}

interface Pass {
  child: ChildProcess;
  /** Resolves with what ffmpeg printed to stderr once it exits 0; rejects otherwise. */
  done: Promise<string>;
}

/** ffprobe through fluent-ffmpeg; every ffmpeg pass spawned directly, so passes can be piped into each other. */
export class FfmpegTranscoder implements Transcoder {
  private readonly timeoutSeconds: number;

  constructor(
    private readonly ffmpegTool: Tool,
    ffprobeTool: Tool,
    maxInputSeconds: number,
  ) {
    this.timeoutSeconds = Math.max(MIN_TIMEOUT_SECONDS, maxInputSeconds);
    // fluent-ffmpeg keeps one path per process; ffprobe is a plain binary.
    ffmpeg.setFfprobePath(ffprobeTool.command);
  }

  probe(path: string): Promise<Probe> {
    return new Promise((resolve, reject) => {
      ffmpeg.ffprobe(path, (error: Error | null, data: FfprobeData) => {
        if (!error) return resolve(toProbe(data));
        // ffprobe refuses what it cannot open as media; anything else (a killed process) is the machine's problem.
        if (/ffprobe exited with code/.test(error.message)) return reject(new MediaRejected('not a media file'));
        reject(error);
      });
    });
  }

  async measure(path: string, streamIndex: number, rendition: Rendition, onProgress?: ProgressListener): Promise<MeasuredInput> {
    const stderr = await this.start(measureArguments(path, streamIndex, rendition), onProgress).done;
    return { loudness: parseEbur128Summary(stderr), decodedSeconds: decodedSecondsIn(stderr) ?? 0 };
  }

  /**
   * The render writes the MP3 file itself, so that the file is seekable and
   * ffmpeg writes its LAME header (the encoder's delay and padding, which a
   * player drops: written through a pipe the file lacks it, and every
   * programme played some 40 ms late and ran past its length). The file is
   * then metered as a listener's decoder hears it: a 64 kbps MP3 decodes fast.
   */
  async render(
    input: string,
    streamIndex: number,
    rendition: Rendition,
    plan: RenderPlan,
    output: string,
    onProgress?: ProgressListener,
  ): Promise<MeasuredInput> {
    const rendered = await this.start(renderArguments(input, streamIndex, rendition, plan, output), onProgress).done;
    const verified = await this.start(verifyArguments(output)).done;
    return { loudness: parseEbur128Summary(verified), decodedSeconds: decodedSecondsIn(rendered) ?? 0 };
  }

  /** Starts one ffmpeg pass, killed if it outlives the timeout. */
  private start(args: string[], onProgress?: ProgressListener): Pass {
    const child = spawn(this.ffmpegTool.command, [...this.ffmpegTool.prefixArgs, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const done = new Promise<string>((resolve, reject) => {
      let stderr = '';
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, this.timeoutSeconds * 1000);
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        stderr = (stderr + chunk).slice(-STDERR_KEPT);
        if (!onProgress) return;
        const at = decodedSecondsIn(chunk);
        if (at !== undefined) onProgress(at);
      });
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) return resolve(stderr);
        if (timedOut) return reject(new Error(`ffmpeg ran into a timeout after ${this.timeoutSeconds} s`));
        if (signal) return reject(new Error(`ffmpeg was killed with signal ${signal}`));
        reject(new Error(`ffmpeg exited with code ${code}: ${stderr.trim().split('\n').slice(-3).join('\n')}`));
      });
    });
    return { child, done };
  }
}
