import { checkAudible, checkDecodedLength, chooseAudioStream } from './domain/input-checks';
import { correctedTarget } from './domain/loudness';
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
}

// Share of the work each step takes, roughly in proportion to its ffmpeg cost.
const STEPS = { probe: 0.03, measure: 0.3, render: 0.4, verify: 0.15 };

/**
 * Input to broadcast rendition: probe, measure (pass 1), normalise and encode
 * (pass 2), then measure what was made, so the loudness reported is the
 * file's own. When loudnorm's dynamic mode lands more than 1 LU off target,
 * one corrective render asks for the difference and the closer file is kept.
 * The same steps serve the queue's job and the benchmark's direct run.
 */
export async function renderBroadcastFile(request: RenderRequest): Promise<RenderedFile> {
  const { transcoder, input, rendition, maxSeconds } = request;
  let done = 0;
  const advance = (share: number) => request.onProgress?.((done += share));
  const within = (share: number, total: number) => (seconds: number) =>
    request.onProgress?.(done + share * Math.min(1, total > 0 ? seconds / total : 0));

  const accepted = chooseAudioStream(await transcoder.probe(input), maxSeconds);
  advance(STEPS.probe);
  const measured = await decodeInput(() =>
    transcoder.measure(input, accepted.streamIndex, rendition, within(STEPS.measure, accepted.declaredSeconds ?? 0)),
  );
  checkDecodedLength(accepted, measured.decodedSeconds, maxSeconds);
  checkAudible(measured.loudness.integratedLufs);
  advance(STEPS.measure);

  const render = async (targetLufs: number | undefined, share: number): Promise<RenderedFile> => {
    const path = request.tempPath();
    try {
      const total = measured.decodedSeconds;
      await transcoder.render(input, accepted.streamIndex, rendition, measured, path, {
        targetLufs,
        onProgress: within(share * (STEPS.render / (STEPS.render + STEPS.verify)), total),
      });
      const made = await transcoder.measure(path, 0, rendition);
      return {
        path,
        durationMs: Math.round(made.decodedSeconds * 1000),
        inputLufs: measured.loudness.integratedLufs,
        outputLufs: made.loudness.integratedLufs,
        truePeakDb: made.loudness.truePeakDb,
      };
    } catch (error) {
      await request.discard(path);
      throw error;
    }
  };

  let best = await render(undefined, STEPS.render + STEPS.verify);
  advance(STEPS.render + STEPS.verify);
  const retarget = correctedTarget(rendition, best.outputLufs, measured.decodedSeconds);
  if (retarget !== null) {
    const second = await render(retarget, 1 - done);
    const distance = (file: RenderedFile) => Math.abs(file.outputLufs - rendition.targetLufs);
    const [keep, drop] = distance(second) < distance(best) ? [second, best] : [best, second];
    await request.discard(drop.path);
    best = keep;
  }
  request.onProgress?.(1);
  return best;
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
