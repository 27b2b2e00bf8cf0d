import { execFileSync } from 'node:child_process';
import { locateMediaTools } from '../../src/media/tools/locate-tools';

// What a recording of a loudspeaker says, measured on the real audio: decoded
// by ffmpeg to mono float PCM at a low rate (8 kHz keeps speech and makes a
// minute of audio 480,000 samples), then compared with the rendition the
// server scheduled. Nothing here knows how the audio was made.

/** The rate the analysis runs at: 0.125 ms per sample, far finer than any tolerance the issue states. */
export const ANALYSIS_RATE = 8_000;

/** Mono samples at a known rate; sample n is at n / rate seconds from the file's first sample. */
export interface Pcm {
  samples: Float32Array;
  rate: number;
}

const tools = locateMediaTools({});

/**
 * Decodes any audio file ffmpeg reads to mono float PCM at `rate`. A WAV is
 * read to its end whatever its header says, so a recording still being
 * written (its sizes not yet filled in) decodes as far as it goes.
 */
export function decode(path: string, rate = ANALYSIS_RATE): Pcm {
  const wav = path.endsWith('.wav') ? ['-ignore_length', '1'] : [];
  const bytes = execFileSync(
    tools.ffmpeg.command,
    ['-nostdin', '-hide_banner', '-loglevel', 'error', ...wav, '-i', path, '-ac', '1', '-ar', String(rate)].concat([
      '-f',
      'f32le',
      '-acodec',
      'pcm_f32le',
      'pipe:1',
    ]),
    { maxBuffer: 1 << 30 },
  );
  // Copied so the samples are aligned whatever offset Node gave the buffer.
  return { samples: new Float32Array(new Uint8Array(bytes).buffer, 0, bytes.length >> 2), rate };
}

export const seconds = (pcm: Pcm, index: number) => index / pcm.rate;
export const indexAt = (pcm: Pcm, at: number) => Math.max(0, Math.min(pcm.samples.length, Math.round(at * pcm.rate)));
export const durationOf = (pcm: Pcm) => pcm.samples.length / pcm.rate;

const toDb = (ratio: number) => (ratio > 0 ? 20 * Math.log10(ratio) : -Infinity);

/** RMS level in dBFS of [from, to) seconds (-Infinity for digital silence). */
export function rmsDb(pcm: Pcm, from = 0, to = durationOf(pcm)): number {
  const start = indexAt(pcm, from);
  const end = indexAt(pcm, to);
  let energy = 0;
  for (let i = start; i < end; i++) energy += pcm.samples[i] * pcm.samples[i];
  return end > start ? toDb(Math.sqrt(energy / (end - start))) : -Infinity;
}

/** Below this a 20 ms window counts as silence: dither and codec noise sit far lower, quiet speech far higher. */
export const SILENCE_DB = -50;
const ONSET_WINDOW_S = 0.02;

/**
 * The first instant at or after `from` (seconds) where sound begins: the start
 * of the first 20 ms window louder than `thresholdDb`, refined to its first
 * sample above the threshold's amplitude. Undefined when all is silent.
 */
export function onset(pcm: Pcm, from = 0, thresholdDb = SILENCE_DB): number | undefined {
  const window = Math.max(1, Math.round(ONSET_WINDOW_S * pcm.rate));
  const floor = 10 ** (thresholdDb / 20);
  for (let start = indexAt(pcm, from); start + window <= pcm.samples.length; start += window) {
    let energy = 0;
    for (let i = start; i < start + window; i++) energy += pcm.samples[i] * pcm.samples[i];
    if (Math.sqrt(energy / window) <= floor) continue;
    // The window before was silent, so the sound starts inside this one.
    for (let i = start; i < start + window; i++) if (Math.abs(pcm.samples[i]) > floor) return seconds(pcm, i);
  }
  return undefined;
}

/** The last instant with sound in [from, to): the end of the last 20 ms window louder than `thresholdDb`. */
export function soundEnd(pcm: Pcm, from = 0, to = durationOf(pcm), thresholdDb = SILENCE_DB): number | undefined {
  const window = Math.max(1, Math.round(ONSET_WINDOW_S * pcm.rate));
  const first = indexAt(pcm, from);
  for (let end = indexAt(pcm, to); end - window >= first; end -= window) {
    if (rmsDb(pcm, seconds(pcm, end - window), seconds(pcm, end)) > thresholdDb) return seconds(pcm, end);
  }
  return undefined;
}

// --- Cross-correlation by FFT -------------------------------------------------

/** In-place iterative radix-2 FFT (`inverse` leaves the 1/n scaling to the caller). */
function fft(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const angle = ((inverse ? 2 : -2) * Math.PI) / size;
    const stepRe = Math.cos(angle);
    const stepIm = Math.sin(angle);
    const half = size >> 1;
    for (let start = 0; start < n; start += size) {
      let wRe = 1;
      let wIm = 0;
      for (let k = 0; k < half; k++) {
        const a = start + k;
        const b = a + half;
        const tRe = re[b] * wRe - im[b] * wIm;
        const tIm = re[b] * wIm + im[b] * wRe;
        re[b] = re[a] - tRe;
        im[b] = im[a] - tIm;
        re[a] += tRe;
        im[a] += tIm;
        const nextRe = wRe * stepRe - wIm * stepIm;
        wIm = wRe * stepIm + wIm * stepRe;
        wRe = nextRe;
      }
    }
  }
}

/** Sum over i of signal[lag + i] * reference[i], for every lag 0…signal.length - reference.length. */
function slidingDot(signal: Float32Array, reference: Float32Array): Float64Array {
  let n = 1;
  while (n < signal.length + reference.length) n <<= 1;
  const aRe = new Float64Array(n);
  const aIm = new Float64Array(n);
  const bRe = new Float64Array(n);
  const bIm = new Float64Array(n);
  aRe.set(signal);
  bRe.set(reference);
  fft(aRe, aIm, false);
  fft(bRe, bIm, false);
  // A times the conjugate of B is the cross-correlation's spectrum.
  for (let i = 0; i < n; i++) {
    const re = aRe[i] * bRe[i] + aIm[i] * bIm[i];
    const im = aIm[i] * bRe[i] - aRe[i] * bIm[i];
    aRe[i] = re;
    aIm[i] = im;
  }
  fft(aRe, aIm, true);
  const lags = signal.length - reference.length + 1;
  const out = new Float64Array(Math.max(0, lags));
  for (let lag = 0; lag < lags; lag++) out[lag] = aRe[lag] / n;
  return out;
}

export interface Match {
  /** Where the reference's first sample lies in the recording, in seconds from the recording's first sample. */
  at: number;
  /** Normalised cross-correlation at that lag: 1 is the same waveform at any gain, ~0 is unrelated sound. */
  peak: number;
}

/**
 * Where `reference` (or its first `referenceSeconds`) starts in `recording`,
 * searched between `from` and `to` seconds: the lag of the highest normalised
 * cross-correlation, which does not depend on either's level. Both at the same
 * rate. Undefined when the searched span is shorter than the reference.
 */
export function locate(
  recording: Pcm,
  reference: Pcm,
  options: { from?: number; to?: number; referenceSeconds?: number } = {},
): Match | undefined {
  if (recording.rate !== reference.rate) throw new Error('recording and reference must be decoded at one rate');
  const ref = reference.samples.subarray(0, indexAt(reference, options.referenceSeconds ?? durationOf(reference)));
  const first = indexAt(recording, options.from ?? 0);
  const last = indexAt(recording, options.to ?? durationOf(recording)) + ref.length;
  const span = recording.samples.subarray(first, Math.min(recording.samples.length, last));
  if (span.length < ref.length || ref.length === 0) return undefined;
  const dots = slidingDot(span, ref);
  let refEnergy = 0;
  for (const x of ref) refEnergy += x * x;
  // The recording's energy under the reference at each lag, from running sums.
  let windowEnergy = 0;
  for (let i = 0; i < ref.length; i++) windowEnergy += span[i] * span[i];
  let best = { lag: 0, peak: -Infinity };
  for (let lag = 0; lag < dots.length; lag++) {
    if (lag > 0) windowEnergy += span[lag + ref.length - 1] ** 2 - span[lag - 1] ** 2;
    const norm = Math.sqrt(refEnergy * Math.max(windowEnergy, 0));
    const peak = norm > 1e-9 ? dots[lag] / norm : 0;
    if (peak > best.peak) best = { lag, peak };
  }
  return { at: seconds(recording, first + best.lag), peak: best.peak };
}

/** Normalised correlation of two equal-length stretches (0 when either is silent). */
function correlation(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

const MATCH_WINDOW_S = 0.05;
/** A 50 ms window of speech through MP3 and resampling still correlates far above this; other sound or silence does not. */
const MATCH_MIN = 0.6;
/** Consecutive failing windows that end the match (a single one can be a codec artefact on a consonant). */
const MATCH_BREAK = 4;

/**
 * How long the recording goes on being the reference from `at` (where
 * `locate` found it), in seconds: aligned 50 ms windows are compared while
 * the reference has sound in them, and the match ends with the last window
 * that agreed before a run of disagreeing ones (the player stopped, or played
 * something else). Reaching the reference's last sound counts the whole
 * reference, its silent tail included.
 */
export function matchedSeconds(recording: Pcm, reference: Pcm, at: number): number {
  const window = Math.round(MATCH_WINDOW_S * reference.rate);
  const offset = indexAt(recording, at);
  const lastSound = soundEnd(reference) ?? 0;
  let matchedTo = 0;
  let failing = 0;
  for (let start = 0; start + window <= reference.samples.length; start += window) {
    if (rmsDb(reference, seconds(reference, start), seconds(reference, start + window)) <= SILENCE_DB) continue;
    if (offset + start + window > recording.samples.length) break;
    const r = correlation(
      recording.samples.subarray(offset + start, offset + start + window),
      reference.samples.subarray(start, start + window),
    );
    if (r >= MATCH_MIN) {
      matchedTo = start + window;
      failing = 0;
    } else if (++failing >= MATCH_BREAK) break;
  }
  const matched = seconds(reference, matchedTo);
  return matched >= lastSound - MATCH_WINDOW_S ? durationOf(reference) : matched;
}

/**
 * The recording's level relative to the reference over an aligned stretch
 * (the reference starting at `at` in the recording), in dB: the energy ratio
 * of the same material, so it does not matter that speech is louder in one
 * sentence than another. `from`/`to` are seconds into the reference.
 */
export function gainDb(recording: Pcm, reference: Pcm, at: number, from: number, to: number): number {
  const offset = indexAt(recording, at);
  let rec = 0;
  let ref = 0;
  for (let i = indexAt(reference, from); i < indexAt(reference, to); i++) {
    const j = offset + i;
    if (j >= recording.samples.length) break;
    rec += recording.samples[j] ** 2;
    ref += reference.samples[i] ** 2;
  }
  return 10 * Math.log10(rec / ref);
}
