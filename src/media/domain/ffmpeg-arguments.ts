import { type LoudnessMeasurement, measureFilter, normaliseFilter } from './loudness';
import type { Rendition } from './rendition';

// The exact ffmpeg output options for each pass, as plain lists so they can
// be read and tested as they will run.

export function measureOptions(streamIndex: number, rendition: Rendition): string[] {
  return ['-map', `0:${streamIndex}`, '-af', measureFilter(rendition), '-f', 'null'];
}

export function renderOptions(
  streamIndex: number,
  rendition: Rendition,
  measured: LoudnessMeasurement,
  decodedSeconds: number,
  targetLufs?: number,
): string[] {
  return [
    '-map', `0:${streamIndex}`,
    '-af', normaliseFilter(rendition, measured, decodedSeconds, targetLufs),
    '-ac', String(rendition.channels),
    '-ar', String(rendition.sampleRate),
    '-c:a', 'libmp3lame',
    '-b:a', `${rendition.bitrateKbps}k`,
    // No tags, no encoder version: the same audio and settings give the same
    // bytes, hence the same sha256 and one stored file.
    '-map_metadata', '-1',
    '-id3v2_version', '0',
    '-write_id3v1', '0',
    '-fflags', '+bitexact',
    '-flags:a', '+bitexact',
    '-f', 'mp3',
  ];
}
