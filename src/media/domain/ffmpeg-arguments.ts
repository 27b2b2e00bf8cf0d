import { measureFilter, type RenderPlan, renderFilter, VERIFY_FILTER } from './loudness';
import type { Rendition } from './rendition';

// The exact ffmpeg arguments for each pass, as plain lists so they can be
// read and tested as they will run. Each reads `input` (a path, or pipe:0).

// ffmpeg's progress line (`time=`, twice a second) is how progress and the decoded length are known.
const COMMON = ['-nostdin', '-hide_banner'];

/** Pass 1: decode every sample of the chosen stream and meter it as it will be heard. */
export function measureArguments(input: string, streamIndex: number, rendition: Rendition): string[] {
  return [...COMMON, '-i', input, '-map', `0:${streamIndex}`, '-af', measureFilter(rendition), '-f', 'null', '-'];
}

/** Pass 2: gain (and limiter), encoded as a tagless constant-bit-rate MP3, on stdout unless told where. */
export function renderArguments(
  input: string,
  streamIndex: number,
  rendition: Rendition,
  plan: RenderPlan,
  output = 'pipe:1',
): string[] {
  return [
    ...COMMON,
    '-i', input,
    '-map', `0:${streamIndex}`,
    '-af', renderFilter(rendition, plan),
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
    '-y', output,
  ];
}

/** The encoded MP3, metered as a listener's decoder hears it. */
export function verifyArguments(mp3: string): string[] {
  return [...COMMON, '-f', 'mp3', '-i', mp3, '-af', VERIFY_FILTER, '-f', 'null', '-'];
}
