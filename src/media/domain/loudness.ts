import type { Rendition } from './rendition';

// EBU R128 normalisation in one decode to measure and one to render: ffmpeg's
// ebur128 meter measures the input as it will be heard (integrated loudness
// and true peak at the broadcast rate), the render applies one linear gain,
// with a peak limiter only when that gain would lift peaks past the ceiling,
// and the encoded MP3 is measured again, since MP3 encoding itself raises
// peaks. loudnorm is not used: its dynamic mode resamples to 192 kHz and was
// most of the pipeline's time.

export interface LoudnessMeasurement {
  integratedLufs: number;
  truePeakDb: number;
}

/** Within this of the target, a rendition is on target; beyond it, a corrective render is made. */
export const LOUDNESS_TOLERANCE_LU = 1;
/**
 * alimiter limits sample peaks, not true peaks, and the MP3 encoder adds its
 * own overshoot: limiting 0.5 dB under the ceiling still let speech reach
 * 0.3 dB over it, 1 dB under kept every real input tested 0.3–0.6 dB under.
 */
export const LIMITER_HEADROOM_DB = 1;
// What a limiter takes off peaks also lowers the loudness: on speech about
// a third of the dB it removes. Asking for that much more gain makes the
// limiter remove more, so the gain that lands on target is about 0.6 of the
// excess on top (measured on the sample recordings and espeak-ng's voices).
const LIMITER_LOSS_SHARE = 0.6;
const MAX_LIMITER_COMPENSATION_DB = 6;
// With the limiter working, each extra dB of gain raises the loudness by about half a dB.
const LIMITED_GAIN_SLOPE = 0.5;
const MAX_CORRECTION_DB = 8;
// How far under the peak ceiling a corrective render aims, beyond the overshoot it saw.
const PEAK_CORRECTION_MARGIN_DB = 0.3;
// alimiter's lowest limit (0.0625).
const LOWEST_LIMIT_DB = -24;
/**
 * What espeak-ng's voices measure, whatever the text: −19.5 to −21.5 LUFS,
 * true peaks up to 0 dBTP (cmn, yue, en on 300-character texts). Speech is
 * rendered from this without a measuring pass; its rendition is still
 * measured, and corrected if the presumption was off.
 */
export const SPOKEN_LOUDNESS: LoudnessMeasurement = { integratedLufs: -20, truePeakDb: 0 };
/** The most renders one input gets: the first, then corrections. */
export const MAX_RENDERS = 3;

/** One render: a linear gain, then a limiter at `limitDb` (dBFS) or none. */
export interface RenderPlan {
  gainDb: number;
  limitDb: number | null;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

function downmix(rendition: Rendition): string {
  return `aformat=sample_fmts=flt:channel_layouts=${rendition.channels === 1 ? 'mono' : 'stereo'},aresample=${rendition.sampleRate}`;
}

/** ebur128 with its true-peak meter; per-frame lines only at the verbose log level (40), so stderr stays short. */
const METER = 'ebur128=peak=true:framelog=40';

/** Measures what will be heard: downmixed and at the broadcast rate, so the peaks are those of the rendition. */
export function measureFilter(rendition: Rendition): string {
  return `${downmix(rendition)},${METER}`;
}

/** Measures a finished rendition as it is (already in the broadcast format). */
export const VERIFY_FILTER = METER;

/** The render's filters: the same downmix as the measurement, the gain, and the limiter if the plan has one. */
export function renderFilter(rendition: Rendition, plan: RenderPlan): string {
  const steps = [downmix(rendition), `volume=${plan.gainDb}dB`];
  if (plan.limitDb !== null) {
    const limit = Math.pow(10, Math.max(LOWEST_LIMIT_DB, plan.limitDb) / 20).toFixed(5);
    // level=false: alimiter would otherwise lift the whole output back to full scale.
    steps.push(`alimiter=limit=${limit}:level=false`);
  }
  return steps.join(',');
}

/** The first render: the gain to the target, and a limiter only when that gain lifts the true peak past its level. */
export function firstPlan(rendition: Rendition, measured: LoudnessMeasurement): RenderPlan {
  const limitDb = rendition.truePeakDb - LIMITER_HEADROOM_DB;
  const gain = rendition.targetLufs - measured.integratedLufs;
  const excess = measured.truePeakDb + gain - limitDb;
  if (excess <= 0) return { gainDb: round2(gain), limitDb: null };
  const compensation = Math.min(MAX_LIMITER_COMPENSATION_DB, excess * LIMITER_LOSS_SHARE);
  return { gainDb: round2(gain + compensation), limitDb };
}

/**
 * The next render after one measured `made`, or null when that one is on
 * target: under the peak ceiling and within the loudness tolerance. A peak
 * over the ceiling lowers the limiter by the overshoot; a loudness off target
 * moves the gain (twice the shortfall when the limiter takes part of it).
 */
export function nextPlan(rendition: Rendition, plan: RenderPlan, made: LoudnessMeasurement): RenderPlan | null {
  const peakOver = made.truePeakDb - rendition.truePeakDb;
  const shortfall = rendition.targetLufs - made.integratedLufs;
  const loudEnough = Math.abs(shortfall) <= LOUDNESS_TOLERANCE_LU;
  if (peakOver <= 0 && loudEnough) return null;
  const limitDb =
    peakOver > 0
      ? round2((plan.limitDb ?? rendition.truePeakDb - LIMITER_HEADROOM_DB) - peakOver - PEAK_CORRECTION_MARGIN_DB)
      : plan.limitDb;
  if (limitDb !== null && limitDb < LOWEST_LIMIT_DB) return null;
  const slope = limitDb === null ? 1 : LIMITED_GAIN_SLOPE;
  const correction = loudEnough ? 0 : Math.max(-MAX_CORRECTION_DB, Math.min(MAX_CORRECTION_DB, shortfall / slope));
  return { gainDb: round2(plan.gainDb + correction), limitDb };
}

/** Of two renders, the one to keep: under the peak ceiling first, then the closer to the loudness target. */
export function closerToTarget(rendition: Rendition, a: LoudnessMeasurement, b: LoudnessMeasurement): boolean {
  const aUnder = a.truePeakDb <= rendition.truePeakDb;
  const bUnder = b.truePeakDb <= rendition.truePeakDb;
  if (aUnder !== bUnder) return aUnder;
  if (!aUnder) return a.truePeakDb < b.truePeakDb;
  return Math.abs(a.integratedLufs - rendition.targetLufs) < Math.abs(b.integratedLufs - rendition.targetLufs);
}

function figure(text: string | undefined, label: string): number {
  if (text === undefined) throw new Error(`ebur128 printed no ${label}`);
  if (text === '-inf') return -Infinity;
  if (text === 'inf' || text === '+inf') return Infinity;
  const parsed = Number(text);
  if (Number.isNaN(parsed)) throw new Error(`ebur128 printed an unreadable ${label}: ${text}`);
  return parsed;
}

/** Reads the summary ebur128 prints to stderr at the end of a pass. */
export function parseEbur128Summary(stderr: string): LoudnessMeasurement {
  const start = stderr.lastIndexOf('Summary:');
  if (start < 0) throw new Error('ebur128 printed no summary');
  const summary = stderr.slice(start);
  const number = '([-+]?(?:inf|[\\d.]+))';
  return {
    integratedLufs: figure(new RegExp(`I:\\s+${number} LUFS`).exec(summary)?.[1], 'integrated loudness'),
    truePeakDb: figure(new RegExp(`Peak:\\s+${number} dBFS`).exec(summary)?.[1], 'true peak'),
  };
}

/** The last `time=` ffmpeg reported: how much of the input it has decoded so far, in seconds. */
export function decodedSecondsIn(text: string): number | undefined {
  const marks = [...text.matchAll(/time=\s*(-?)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/g)];
  const last = marks.at(-1);
  if (!last || last[1] === '-') return undefined;
  return Number(last[2]) * 3600 + Number(last[3]) * 60 + Number(last[4]);
}
