import { humanDuration } from './durations';
import { MediaRejected } from './media-rejected';

// What an input must be before it may go on air, decided from what ffprobe
// and the measuring pass saw. Every refusal is a MediaRejected whose reason
// the uploader can act on.

export interface ProbedStream {
  index: number;
  codecType: string;
  codecName?: string;
  /** Cover art inside an MP3 or M4A shows up as a one-frame video stream. */
  attachedPicture: boolean;
  durationSeconds?: number;
}

export interface Probe {
  formatName?: string;
  durationSeconds?: number;
  streams: ProbedStream[];
}

export interface AcceptedInput {
  streamIndex: number;
  /** The length the container declares, if it declares one. */
  declaredSeconds?: number;
}

// A stream shorter than this is a click, not a programme.
const MIN_SECONDS = 0.1;
// Decoding may stop a little short of the header's figure (padding, rounding).
const TRUNCATION_TOLERANCE = { ratio: 0.9, seconds: 1 };
/** Integrated loudness below this is digital silence: the ebur128 meter reads −70 LUFS (its absolute gate) for it. */
export const SILENCE_LUFS = -69.9;

function playable(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value);
}

export function chooseAudioStream(probe: Probe, maxSeconds: number): AcceptedInput {
  if (!probe.streams.length) throw new MediaRejected('not a media file');
  const audio = probe.streams.find((stream) => stream.codecType === 'audio');
  if (!audio) {
    const hasVideo = probe.streams.some((stream) => stream.codecType === 'video' && !stream.attachedPicture);
    throw new MediaRejected(hasVideo ? 'no audio stream: the file holds only video' : 'no audio stream');
  }
  const declared = playable(audio.durationSeconds) ? audio.durationSeconds : probe.durationSeconds;
  if (playable(declared)) {
    if (declared < MIN_SECONDS) throw new MediaRejected('no audio to broadcast: the file lasts 0 seconds');
    if (declared > maxSeconds) throw tooLong(declared, maxSeconds);
  }
  return { streamIndex: audio.index, declaredSeconds: playable(declared) ? declared : undefined };
}

/** After decoding every sample: did the file hold what its header promised? */
export function checkDecodedLength(input: AcceptedInput, decodedSeconds: number, maxSeconds: number): void {
  if (decodedSeconds < MIN_SECONDS) throw new MediaRejected('no audio could be decoded from the file');
  if (decodedSeconds > maxSeconds) throw tooLong(decodedSeconds, maxSeconds);
  const declared = input.declaredSeconds;
  if (
    declared !== undefined &&
    decodedSeconds < declared * TRUNCATION_TOLERANCE.ratio &&
    declared - decodedSeconds > TRUNCATION_TOLERANCE.seconds
  ) {
    throw new MediaRejected(
      `file is truncated: it plays ${humanDuration(decodedSeconds)} of the ${humanDuration(declared)} its header declares`,
    );
  }
}

export function checkAudible(integratedLufs: number): void {
  if (!(integratedLufs > SILENCE_LUFS)) throw new MediaRejected('silent: nothing to broadcast');
}

function tooLong(seconds: number, maxSeconds: number): MediaRejected {
  return new MediaRejected(`too long: ${humanDuration(seconds)} (the limit is ${humanDuration(maxSeconds)})`);
}
