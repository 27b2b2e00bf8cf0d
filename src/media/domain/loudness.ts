import type { Rendition } from './rendition';

// Two-pass EBU R128 normalisation with ffmpeg's loudnorm filter: the first
// pass measures, the second applies the measured values so the gain is
// linear wherever the true-peak ceiling allows it.

export interface LoudnessMeasurement {
  integratedLufs: number;
  truePeakDb: number;
  loudnessRangeLu: number;
  thresholdLufs: number;
  targetOffsetLu: number;
}

/**
 * loudnorm needs this much audio to measure loudness range and to settle its
 * gain; on a shorter clip (a two-second spoken notice) its output is erratic,
 * so a plain gain is applied instead.
 */
export const LOUDNORM_MIN_SECONDS = 3;

/** Within this of the target, a rendition is on target; beyond it, one corrective pass is made. */
export const LOUDNESS_TOLERANCE_LU = 1;
// loudnorm's dynamic mode (used when linear gain would break the peak
// ceiling) lands short of the target; asking for more, within reason, closes the gap.
const MAX_CORRECTION_LU = 4;

function downmix(channels: number): string {
  return `aformat=channel_layouts=${channels === 1 ? 'mono' : 'stereo'}`;
}

function loudnormTarget(targetLufs: number, rendition: Rendition): string {
  return `loudnorm=I=${targetLufs}:TP=${rendition.truePeakDb}:LRA=${rendition.loudnessRangeLu}`;
}

/** First pass: measure the input as it will be heard (already downmixed). */
export function measureFilter(rendition: Rendition): string {
  return `${downmix(rendition.channels)},${loudnormTarget(rendition.targetLufs, rendition)}:print_format=json`;
}

/** The gain that brings a clip to the target without lifting its true peak over the ceiling. */
export function linearGainDb(rendition: Rendition, measured: LoudnessMeasurement): number {
  const gain = Math.min(rendition.targetLufs - measured.integratedLufs, rendition.truePeakDb - measured.truePeakDb);
  return Math.round(gain * 100) / 100;
}

/**
 * Second pass: normalise using the first pass's figures, then back to the
 * broadcast sample rate. loudnorm for anything long enough, a plain gain for
 * a short clip.
 */
export function normaliseFilter(
  rendition: Rendition,
  measured: LoudnessMeasurement,
  decodedSeconds: number,
  targetLufs = rendition.targetLufs,
): string {
  const m = measured;
  const normalise =
    decodedSeconds < LOUDNORM_MIN_SECONDS
      ? `volume=${linearGainDb(rendition, measured)}dB`
      : `${loudnormTarget(targetLufs, rendition)}:measured_I=${m.integratedLufs}:measured_TP=${m.truePeakDb}` +
        `:measured_LRA=${m.loudnessRangeLu}:measured_thresh=${m.thresholdLufs}:offset=${m.targetOffsetLu}:linear=true:print_format=json`;
  return [downmix(rendition.channels), normalise, `aresample=${rendition.sampleRate}`].join(',');
}

/**
 * The target to ask for in a corrective pass, or null when the rendition is
 * already on target or another pass could not change it (a short clip's plain
 * gain is already as high as the peak ceiling allows).
 */
export function correctedTarget(rendition: Rendition, achievedLufs: number, decodedSeconds: number): number | null {
  if (decodedSeconds < LOUDNORM_MIN_SECONDS) return null;
  const shortfall = rendition.targetLufs - achievedLufs;
  if (Math.abs(shortfall) <= LOUDNESS_TOLERANCE_LU) return null;
  const correction = Math.max(-MAX_CORRECTION_LU, Math.min(MAX_CORRECTION_LU, shortfall));
  return Math.round((rendition.targetLufs + correction) * 100) / 100;
}

function figure(value: unknown): number {
  if (value === '-inf') return -Infinity;
  if (value === 'inf' || value === '+inf') return Infinity;
  const parsed = Number(value);
  if (typeof value !== 'string' || !value.trim() || Number.isNaN(parsed)) throw new Error(`loudnorm printed an unreadable figure: ${String(value)}`);
  return parsed;
}

/** Reads the JSON summary loudnorm prints to stderr at the end of a pass. */
export function parseLoudnormSummary(stderr: string): LoudnessMeasurement {
  const start = stderr.lastIndexOf('{');
  const end = stderr.indexOf('}', start);
  if (start < 0 || end < 0) throw new Error('loudnorm printed no summary');
  const json = JSON.parse(stderr.slice(start, end + 1)) as Record<string, unknown>;
  return {
    integratedLufs: figure(json.input_i),
    truePeakDb: figure(json.input_tp),
    loudnessRangeLu: figure(json.input_lra),
    thresholdLufs: figure(json.input_thresh),
    targetOffsetLu: figure(json.target_offset),
  };
}

/** The last `time=` ffmpeg reported: how much of the input it has decoded so far, in seconds. */
export function decodedSecondsIn(text: string): number | undefined {
  const marks = [...text.matchAll(/time=\s*(-?)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/g)];
  const last = marks.at(-1);
  if (!last || last[1] === '-') return undefined;
  return Number(last[2]) * 3600 + Number(last[3]) * 60 + Number(last[4]);
}
