import ffmpeg, { type FfprobeData } from 'fluent-ffmpeg';
import { measureOptions, renderOptions } from './domain/ffmpeg-arguments';
import type { Probe } from './domain/input-checks';
import { decodedSecondsIn, parseLoudnormSummary } from './domain/loudness';
import { MediaRejected } from './domain/media-rejected';
import type { Rendition } from './domain/rendition';
import type { Tool } from './tools/locate-tools';
import type { MeasuredInput, ProgressListener, Transcoder } from './transcoder';

// A pass slower than real time has hung (ffmpeg runs tens of times faster on
// audio), so one is killed after the longest allowed input's length, and the
// job is retried.
const MIN_TIMEOUT_SECONDS = 300;

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

/** The only place fluent-ffmpeg is used. */
export class FfmpegTranscoder implements Transcoder {
  private readonly timeoutSeconds: number;

  constructor(ffmpegTool: Tool, ffprobeTool: Tool, maxInputSeconds: number) {
    this.timeoutSeconds = Math.max(MIN_TIMEOUT_SECONDS, maxInputSeconds);
    // fluent-ffmpeg keeps one path per process; both tools are plain binaries.
    ffmpeg.setFfmpegPath(ffmpegTool.command);
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
    let decodedSeconds: number | undefined;
    const stderr = await this.run(path, measureOptions(streamIndex, rendition), '-', (line) => {
      const at = decodedSecondsIn(line);
      if (at === undefined) return;
      decodedSeconds = at;
      onProgress?.(at);
    });
    return { loudness: parseLoudnormSummary(stderr), decodedSeconds: decodedSecondsIn(stderr) ?? decodedSeconds ?? 0 };
  }

  async render(
    input: string,
    streamIndex: number,
    rendition: Rendition,
    measured: MeasuredInput,
    output: string,
    options: { targetLufs?: number; onProgress?: ProgressListener },
  ): Promise<void> {
    const outputOptions = renderOptions(streamIndex, rendition, measured.loudness, measured.decodedSeconds, options.targetLufs);
    await this.run(input, outputOptions, output, (line) => {
      const at = decodedSecondsIn(line);
      if (at !== undefined) options.onProgress?.(at);
    });
  }

  /** Runs one ffmpeg pass and resolves with what it printed to stderr. */
  private run(input: string, outputOptions: string[], output: string, onLine: (line: string) => void): Promise<string> {
    return new Promise((resolve, reject) => {
      ffmpeg(input, { timeout: this.timeoutSeconds, stdoutLines: 200 })
        .inputOptions(['-nostdin', '-hide_banner'])
        .outputOptions(outputOptions)
        .output(output)
        .on('stderr', onLine)
        .on('end', (_stdout: string | null, stderr: string | null) => resolve(stderr ?? ''))
        .on('error', (error: Error) => reject(error))
        .run();
    });
  }
}
