import { checkAudible, checkDecodedLength, chooseAudioStream } from './domain/input-checks';
import { closerToTarget, firstPlan, type LoudnessMeasurement, MAX_RENDERS, nextPlan } from './domain/loudness';
import { isTransientFailure, MediaRejected } from './domain/media-rejected';
import type { Rendition } from './domain/rendition';
import type { MeasuredInput, Transcoder } from './transcoder';

export interface RenderedFile {
  /** The finished rendition, still under its temporary name. */
  path: string;
  durationMs: number;
  inputLufs: number;
  outputLufs: number;
  truePeakDb: number;
}

export interface RenderRequest {
  transcoder: Transcoder;
  input: string;
  rendition: Rendition;
  maxSeconds: number;
  /** A fresh temporary path for each rendition attempt. */
  tempPath: () => string;
  discard: (path: string) => Promise<void>;
  /** Fraction done, 0 to 1. */
  onProgress?: (fraction: number) => void;
  /**
   * What the input is already known to measure (espeak-ng's speech, whose
   * level is its voice's): the measuring pass is skipped and the first
   * render starts from this; the rendition's own measurement still decides.
   */
  presumed?: LoudnessMeasurement;
}

// Share of the work each step takes, roughly in proportion to its ffmpeg cost.
const STEPS = { probe: 0.02, measure: 0.3 };

/**
 * Input to broadcast rendition: probe, measure (one decode), then render
 * with a linear gain (and a limiter if the peaks need it), then meter the
 * encoded MP3 file, so the loudness reported is the file's own.
 * A render off target (peak over the ceiling, loudness more than 1 LU away)
 * is corrected by another, at most MAX_RENDERS in all, and the best is kept.
 * The same steps serve the queue's job and the benchmark's direct run.
 */
export async function renderBroadcastFile(request: RenderRequest): Promise<RenderedFile> {
  const { transcoder, input, rendition, maxSeconds } = request;
  let done = 0;
  const within = (share: number, total: number) => (seconds: number) =>
    request.onProgress?.(done + share * Math.min(1, total > 0 ? seconds / total : 0));

  let streamIndex = 0;
  let inputLoudness = request.presumed;
  let decodedSeconds: number | undefined;
  if (!inputLoudness) {
    const accepted = chooseAudioStream(await transcoder.probe(input), maxSeconds);
    done += STEPS.probe;
    const measured = await decodeInput(() =>
      transcoder.measure(input, accepted.streamIndex, rendition, within(STEPS.measure, accepted.declaredSeconds ?? 0)),
    );
    checkDecodedLength(accepted, measured.decodedSeconds, maxSeconds);
    checkAudible(measured.loudness.integratedLufs);
    done += STEPS.measure;
    streamIndex = accepted.streamIndex;
    inputLoudness = measured.loudness;
    decodedSeconds = measured.decodedSeconds;
  }

  let best: { file: RenderedFile; made: LoudnessMeasurement } | undefined;
  let plan: ReturnType<typeof nextPlan> = firstPlan(rendition, inputLoudness);
  for (let renders = 0; plan && renders < MAX_RENDERS; renders++) {
    const path = request.tempPath();
    // Each render takes half of what is left of the bar: a correction, if any, moves it on instead of back.
    const share = (1 - done) / 2;
    let made: MeasuredInput;
    try {
      made = await decodeInput(() => transcoder.render(input, streamIndex, rendition, plan!, path, within(share, decodedSeconds ?? 0)));
    } catch (error) {
      await request.discard(path);
      throw error;
    }
    done += share;
    // Speech presumed audible is checked here: text of punctuation alone speaks silence.
    if (!best && request.presumed) await refuseSilence(made, path, request);
    const file = {
      path,
      durationMs: Math.round(made.decodedSeconds * 1000),
      inputLufs: inputLoudness.integratedLufs,
      outputLufs: made.loudness.integratedLufs,
      truePeakDb: made.loudness.truePeakDb,
    };
    const keep = !best || closerToTarget(rendition, made.loudness, best.made);
    if (best) await request.discard(keep ? best.file.path : file.path);
    if (keep) best = { file, made: made.loudness };
    plan = nextPlan(rendition, plan, made.loudness);
  }
  request.onProgress?.(1);
  return best!.file;
}

async function refuseSilence(made: MeasuredInput, path: string, request: RenderRequest): Promise<void> {
  try {
    checkAudible(made.loudness.integratedLufs);
  } catch (error) {
    await request.discard(path);
    throw error;
  }
}

/** A decode that fails for any reason but the machine's is the file's fault. */
async function decodeInput(measure: () => Promise<MeasuredInput>): Promise<MeasuredInput> {
  try {
    return await measure();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof MediaRejected || isTransientFailure(message)) throw error;
    throw new MediaRejected(`the audio could not be decoded (${lastLine(message)})`);
  }
}

function lastLine(message: string): string {
  const lines = message.split('\n').map((line) => line.trim()).filter(Boolean);
  return (lines.at(-1) ?? message).slice(0, 200);
}
