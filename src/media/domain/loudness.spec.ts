import { measureArguments, renderArguments, verifyArguments } from './ffmpeg-arguments';
import {
  closerToTarget,
  decodedSecondsIn,
  firstPlan,
  type LoudnessMeasurement,
  nextPlan,
  parseEbur128Summary,
  renderFilter,
} from './loudness';
import { type Rendition, renditionKey } from './rendition';

const BROADCAST: Rendition = { targetLufs: -16, truePeakDb: -1.5, sampleRate: 44100, channels: 1, bitrateKbps: 64 };

// What ffmpeg 5.1's ebur128 printed metering espeak-ng's Mandarin voice.
const STDERR = `size=N/A time=00:01:00.50 bitrate=N/A speed=300x\rsize=N/A time=00:01:48.71 bitrate=N/A speed=310x
video:0kB audio:4682kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: unknown
[Parsed_ebur128_0 @ 0x55e13c9e57c0] Summary:

  Integrated loudness:
    I:         -20.0 LUFS
    Threshold: -30.0 LUFS

  Loudness range:
    LRA:         3.3 LU
    Threshold: -40.0 LUFS
    LRA low:   -21.8 LUFS
    LRA high:  -18.5 LUFS

  True peak:
    Peak:       -1.1 dBFS`;

const measured = (integratedLufs: number, truePeakDb: number): LoudnessMeasurement => ({ integratedLufs, truePeakDb });

describe('ebur128 summary', () => {
  it('reads the integrated loudness and true peak', () => {
    expect(parseEbur128Summary(STDERR)).toEqual({ integratedLufs: -20, truePeakDb: -1.1 });
  });

  it('reads digital silence as the gate and minus infinity', () => {
    const silent = STDERR.replace('-20.0 LUFS', '-70.0 LUFS').replace('-1.1 dBFS', '-inf dBFS');
    expect(parseEbur128Summary(silent)).toMatchObject({ integratedLufs: -70, truePeakDb: -Infinity });
  });

  it('says so when there is no summary', () => {
    expect(() => parseEbur128Summary('Conversion failed!')).toThrow('ebur128 printed no summary');
    expect(() => parseEbur128Summary('Summary:\n I: -20.0 LUFS')).toThrow('ebur128 printed no true peak');
  });

  it('finds how far decoding got', () => {
    expect(decodedSecondsIn(STDERR)).toBeCloseTo(108.71);
    expect(decodedSecondsIn('time=01:02:03.5 ')).toBeCloseTo(3723.5);
    expect(decodedSecondsIn('time=-577014:32:22.77 ')).toBeUndefined();
    expect(decodedSecondsIn('no progress here')).toBeUndefined();
  });
});

describe('render plans', () => {
  it('applies a plain gain when the peaks stay under the limiter', () => {
    // The loud music bed: turned down, nothing to limit.
    expect(firstPlan(BROADCAST, measured(-15.3, -8.6))).toEqual({ gainDb: -0.7, limitDb: null });
    // The quiet phone recording lifted 12 dB: its peaks end at −2.6, just under the limiter's −2.5.
    expect(firstPlan(BROADCAST, measured(-28, -14.6))).toEqual({ gainDb: 12, limitDb: null });
  });

  it('limits 1 dB under the ceiling and asks for more gain to make up what the limiter takes', () => {
    // espeak-ng speech at −20 LUFS peaking at −1.1: +4 dB would put peaks 5.4 dB over the limiter.
    expect(firstPlan(BROADCAST, measured(-20, -1.1))).toEqual({ gainDb: 7.24, limitDb: -2.5 });
    // A clipped recording needing a big lift: the make-up gain is capped.
    expect(firstPlan(BROADCAST, measured(-40, 0))).toEqual({ gainDb: 30, limitDb: -2.5 });
  });

  it('is done when the rendition is under the ceiling and within 1 LU', () => {
    const plan = { gainDb: 7.24, limitDb: -2.5 };
    expect(nextPlan(BROADCAST, plan, measured(-16.5, -2.1))).toBeNull();
    expect(nextPlan(BROADCAST, plan, measured(-15.0, -1.5))).toBeNull();
    expect(nextPlan(BROADCAST, plan, measured(-17.0, -1.6))).toBeNull();
  });

  it('lowers the limiter by the overshoot when the encoded peak breaks the ceiling', () => {
    expect(nextPlan(BROADCAST, { gainDb: 7, limitDb: -2.5 }, measured(-16.3, -1.2))).toEqual({ gainDb: 7, limitDb: -3.1 });
    // No limiter in the first render: one comes in at the level the overshoot shows.
    expect(nextPlan(BROADCAST, { gainDb: 12, limitDb: null }, measured(-16, -1.3))).toEqual({ gainDb: 12, limitDb: -3 });
  });

  it('moves the gain by the shortfall, twice over when the limiter takes half of it', () => {
    expect(nextPlan(BROADCAST, { gainDb: -0.7, limitDb: null }, measured(-17.4, -9))).toEqual({ gainDb: 0.7, limitDb: null });
    expect(nextPlan(BROADCAST, { gainDb: 3.2, limitDb: -2.5 }, measured(-14.6, -2.2))).toEqual({ gainDb: 0.4, limitDb: -2.5 });
    expect(nextPlan(BROADCAST, { gainDb: 3, limitDb: -2.5 }, measured(-40, -2.2))).toEqual({ gainDb: 11, limitDb: -2.5 });
  });

  it('gives up rather than limit below what alimiter can', () => {
    expect(nextPlan(BROADCAST, { gainDb: 7, limitDb: -23.9 }, measured(-16, 0))).toBeNull();
  });

  it('keeps the render under the ceiling, then the one closer to the target', () => {
    expect(closerToTarget(BROADCAST, measured(-17.5, -2), measured(-16, -1.2))).toBe(true);
    expect(closerToTarget(BROADCAST, measured(-16.2, -2), measured(-16.5, -1.6))).toBe(true);
    expect(closerToTarget(BROADCAST, measured(-16.6, -2), measured(-16.5, -1.6))).toBe(false);
    expect(closerToTarget(BROADCAST, measured(-16, -1.2), measured(-16, -1.3))).toBe(false);
  });
});

describe('ffmpeg arguments', () => {
  it('meters the chosen stream downmixed and at the broadcast rate, as it will be heard', () => {
    expect(measureArguments('/in.m4a', 1, BROADCAST)).toEqual([
      '-nostdin', '-hide_banner', '-i', '/in.m4a', '-map', '0:1',
      '-af', 'aformat=sample_fmts=flt:channel_layouts=mono,aresample=44100,ebur128=peak=true:framelog=40',
      '-f', 'null', '-',
    ]);
  });

  it('renders a tagless mono 44.1 kHz 64 kb/s MP3 to stdout with the same downmix, the gain and the limiter', () => {
    expect(renderArguments('/in.m4a', 0, BROADCAST, { gainDb: 7.24, limitDb: -2.5 })).toEqual([
      '-nostdin', '-hide_banner', '-i', '/in.m4a', '-map', '0:0',
      '-af', 'aformat=sample_fmts=flt:channel_layouts=mono,aresample=44100,volume=7.24dB,alimiter=limit=0.74989:level=false',
      '-ac', '1', '-ar', '44100', '-c:a', 'libmp3lame', '-b:a', '64k',
      '-map_metadata', '-1', '-id3v2_version', '0', '-write_id3v1', '0', '-fflags', '+bitexact', '-flags:a', '+bitexact',
      '-f', 'mp3', '-y', 'pipe:1',
    ]);
    expect(renderFilter(BROADCAST, { gainDb: -0.7, limitDb: null })).toBe(
      'aformat=sample_fmts=flt:channel_layouts=mono,aresample=44100,volume=-0.7dB',
    );
  });

  it('meters the encoded MP3 file', () => {
    expect(verifyArguments('/out.mp3')).toEqual([
      '-nostdin', '-hide_banner', '-f', 'mp3', '-i', '/out.mp3', '-af', 'ebur128=peak=true:framelog=40', '-f', 'null', '-',
    ]);
  });

  it('follows the configured rendition', () => {
    const stereo = { ...BROADCAST, channels: 2, sampleRate: 48000, bitrateKbps: 128 };
    const options = renderArguments('/in.wav', 0, stereo, { gainDb: 1, limitDb: null });
    expect(options).toEqual(expect.arrayContaining(['-ac', '2', '-ar', '48000', '-b:a', '128k']));
    expect(options[7]).toMatch(/^aformat=sample_fmts=flt:channel_layouts=stereo,aresample=48000,volume=1dB$/);
    expect(renditionKey(stereo)).not.toBe(renditionKey(BROADCAST));
  });
});
