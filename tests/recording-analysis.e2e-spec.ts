import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateMediaTools } from '../src/media/tools/locate-tools';
import { audioFixture } from './helpers/media';
import { decode, durationOf, gainDb, locate, matchedSeconds, onset, rmsDb, soundEnd } from './helpers/recording';

const ffmpeg = locateMediaTools({}).ffmpeg.command;
const run = (...args: string[]) =>
  execFileSync(ffmpeg, ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args]);

/**
 * The analysis the agent's proof rests on, checked on real audio where the
 * answer is known: the spoken announcement encoded as the media pipeline
 * encodes renditions (mono MP3), placed in a 48 kHz WAV as a loudspeaker
 * recording would hold it, at a known instant and gain.
 */
describe('recording analysis', () => {
  let dir: string;
  let rendition: string;
  const OFFSET = 3.217;

  /** A 48 kHz mono WAV: `lead` s of silence, then `source` (first `take` s of it) at `gain` dB, then 4 s of silence. */
  const recordingOf = (name: string, source: string, lead: number, gain = 0, take?: number) => {
    const path = join(dir, name);
    const trim = take === undefined ? '' : `atrim=0:${take},`;
    run(
      ...['-i', source, '-ac', '1', '-ar', '48000'],
      ...['-af', `${trim}volume=${gain}dB,adelay=${Math.round(lead * 1000)},apad=pad_dur=4`],
      ...['-c:a', 'pcm_s16le', path],
    );
    return path;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dalaba-recording-'));
    rendition = join(dir, 'rendition.mp3');
    run(
      '-i',
      audioFixture('announcement-cmn.wav'),
      '-ac',
      '1',
      '-ar',
      '44100',
      '-c:a',
      'libmp3lame',
      '-b:a',
      '64k',
      rendition,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds a rendition embedded at a known instant within 10 ms, and how long it plays within 1%', () => {
    const reference = decode(rendition);
    const recording = decode(recordingOf('embedded.wav', rendition, OFFSET, -3));
    const match = locate(recording, reference)!;
    expect(Math.abs(match.at - OFFSET)).toBeLessThan(0.01);
    expect(match.peak).toBeGreaterThan(0.9);
    expect(Math.abs(matchedSeconds(recording, reference, match.at) / durationOf(reference) - 1)).toBeLessThan(0.01);
    // Its first few seconds find it as well (what a test does when the programme was cut short).
    expect(Math.abs(locate(recording, reference, { referenceSeconds: 5 })!.at - OFFSET)).toBeLessThan(0.01);
    // Sound begins where it was put (the announcement opens on speech).
    const heard = onset(recording, 0)!;
    expect(heard).toBeGreaterThanOrEqual(OFFSET - 0.01);
    expect(heard - OFFSET).toBeLessThan(0.1);
  });

  it('measures a rendition cut off part-way as the part that played', () => {
    const reference = decode(rendition);
    const recording = decode(recordingOf('cut.wav', rendition, 1, 0, 12));
    const match = locate(recording, reference, { referenceSeconds: 5 })!;
    expect(Math.abs(match.at - 1)).toBeLessThan(0.01);
    expect(Math.abs(matchedSeconds(recording, reference, match.at) - 12)).toBeLessThan(0.3);
    expect(Math.abs(soundEnd(recording)! - 13)).toBeLessThan(0.3);
  });

  it('tells other sound from the rendition: the correlation peak stays low', () => {
    const reference = decode(rendition);
    const recording = decode(recordingOf('music.wav', audioFixture('loud-stereo-48k.flac'), 2));
    // The music bed is 8 s long: only the reference's first 5 s fit under it.
    expect(locate(recording, reference, { referenceSeconds: 5 })!.peak).toBeLessThan(0.3);
  });

  it('reads a 6 dB gain as 6 dB ± 0.5, by RMS and against the rendition', () => {
    const reference = decode(rendition);
    const loud = decode(recordingOf('loud.wav', rendition, 0.5, 0));
    const quiet = decode(recordingOf('quiet.wav', rendition, 0.5, -6));
    const span: [number, number] = [2, 20];
    expect(
      Math.abs(rmsDb(loud, 0.5 + span[0], 0.5 + span[1]) - rmsDb(quiet, 0.5 + span[0], 0.5 + span[1]) - 6),
    ).toBeLessThan(0.5);
    const loudGain = gainDb(loud, reference, locate(loud, reference)!.at, ...span);
    const quietGain = gainDb(quiet, reference, locate(quiet, reference)!.at, ...span);
    expect(Math.abs(loudGain)).toBeLessThan(0.5);
    expect(Math.abs(loudGain - quietGain - 6)).toBeLessThan(0.5);
  });

  it('reads the RMS of a sine in dBFS as computed, and digital silence as silence', () => {
    const tone = join(dir, 'tone.wav');
    run('-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=48000:duration=2', '-af', 'volume=0.5', '-ac', '1', tone);
    // ffmpeg's sine source peaks at 1/8; halved, its RMS is 1/16/√2: −27.09 dBFS.
    expect(Math.abs(rmsDb(decode(tone), 0.5, 1.5) + 27.09)).toBeLessThan(0.1);
    const silence = join(dir, 'silence.wav');
    run('-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=mono', '-t', '2', silence);
    expect(onset(decode(silence))).toBeUndefined();
  });

  it('decodes a WAV still being written, whose header does not yet give its length', () => {
    const whole = recordingOf('growing.wav', rendition, OFFSET);
    const bytes = readFileSync(whole);
    // As a writer that has not finished leaves it: RIFF and data sizes unset.
    const data = bytes.indexOf('data', 12, 'latin1');
    bytes.writeUInt32LE(0, 4);
    bytes.writeUInt32LE(0, data + 4);
    const growing = join(dir, 'growing-unsized.wav');
    writeFileSync(growing, bytes.subarray(0, bytes.length - 48_000 * 2 * 3));
    const recording = decode(growing);
    expect(Math.abs(durationOf(recording) - (bytes.length - data - 8 - 48_000 * 2 * 3) / 96_000)).toBeLessThan(0.01);
    expect(Math.abs(locate(recording, decode(rendition), { referenceSeconds: 5 })!.at - OFFSET)).toBeLessThan(0.01);
  });
});
