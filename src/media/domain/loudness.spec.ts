import { renderOptions, measureOptions } from './ffmpeg-arguments';
import { correctedTarget, decodedSecondsIn, linearGainDb, normaliseFilter, parseLoudnormSummary } from './loudness';
import { type Rendition, renditionKey } from './rendition';

const BROADCAST: Rendition = { targetLufs: -16, truePeakDb: -1.5, loudnessRangeLu: 11, sampleRate: 44100, channels: 1, bitrateKbps: 64 };

// What ffmpeg 5.1 printed measuring a quiet phone recording.
const STDERR = `size=N/A time=00:00:18.50 bitrate=N/A speed=36.9x\rsize=N/A time=00:00:21.52 bitrate=N/A speed=39.9x
video:0kB audio:8072kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: unknown
[Parsed_loudnorm_1 @ 0x5628d7b9f200]
{
	"input_i" : "-33.58",
	"input_tp" : "-14.56",
	"input_lra" : "3.50",
	"input_thresh" : "-44.03",
	"output_i" : "-17.21",
	"output_tp" : "-1.50",
	"output_lra" : "2.90",
	"output_thresh" : "-27.21",
	"normalization_type" : "dynamic",
	"target_offset" : "1.21"
}`;

describe('loudnorm summary', () => {
  it('reads the measured input', () => {
    expect(parseLoudnormSummary(STDERR)).toEqual({
      integratedLufs: -33.58,
      truePeakDb: -14.56,
      loudnessRangeLu: 3.5,
      thresholdLufs: -44.03,
      targetOffsetLu: 1.21,
    });
  });

  it('reads silence as minus infinity', () => {
    const silent = STDERR.replace('"-33.58"', '"-inf"').replace('"-14.56"', '"-inf"');
    expect(parseLoudnormSummary(silent).integratedLufs).toBe(-Infinity);
  });

  it('says so when there is no summary', () => {
    expect(() => parseLoudnormSummary('Conversion failed!')).toThrow('loudnorm printed no summary');
  });

  it('finds how far decoding got', () => {
    expect(decodedSecondsIn(STDERR)).toBeCloseTo(21.52);
    expect(decodedSecondsIn('time=01:02:03.5 ')).toBeCloseTo(3723.5);
    expect(decodedSecondsIn('no progress here')).toBeUndefined();
  });
});

describe('ffmpeg arguments', () => {
  const measured = parseLoudnormSummary(STDERR);

  it('measures the chosen stream, downmixed as it will be heard', () => {
    expect(measureOptions(1, BROADCAST)).toEqual([
      '-map', '0:1',
      '-af', 'aformat=channel_layouts=mono,loudnorm=I=-16:TP=-1.5:LRA=11:print_format=json',
      '-f', 'null',
    ]);
  });

  it('renders a tagless mono 44.1 kHz 64 kb/s MP3 with the measured values', () => {
    expect(renderOptions(0, BROADCAST, measured, 21.52)).toEqual([
      '-map', '0:0',
      '-af',
      'aformat=channel_layouts=mono,loudnorm=I=-16:TP=-1.5:LRA=11:measured_I=-33.58:measured_TP=-14.56:measured_LRA=3.5' +
        ':measured_thresh=-44.03:offset=1.21:linear=true:print_format=json,aresample=44100',
      '-ac', '1', '-ar', '44100', '-c:a', 'libmp3lame', '-b:a', '64k',
      '-map_metadata', '-1', '-id3v2_version', '0', '-write_id3v1', '0', '-fflags', '+bitexact', '-flags:a', '+bitexact',
      '-f', 'mp3',
    ]);
  });

  it('follows the configured rendition', () => {
    const stereo = { ...BROADCAST, channels: 2, sampleRate: 48000, bitrateKbps: 128 };
    const options = renderOptions(0, stereo, measured, 21.52, -14.5);
    expect(options).toEqual(expect.arrayContaining(['-ac', '2', '-ar', '48000', '-b:a', '128k']));
    expect(options[3]).toMatch(/^aformat=channel_layouts=stereo,loudnorm=I=-14.5:/);
    expect(renditionKey(stereo)).not.toBe(renditionKey(BROADCAST));
  });
});

describe('a clip too short for loudnorm', () => {
  // A two-second spoken notice: loudnorm cannot measure its range, so it gets a plain gain.
  const notice = { integratedLufs: -19.53, truePeakDb: -3.44, loudnessRangeLu: 0, thresholdLufs: -29.6, targetOffsetLu: 0 };

  it('is lifted towards the target only as far as the peak ceiling allows', () => {
    expect(linearGainDb(BROADCAST, notice)).toBe(1.94);
    expect(linearGainDb(BROADCAST, { ...notice, truePeakDb: -12 })).toBe(3.53);
    expect(linearGainDb(BROADCAST, { ...notice, integratedLufs: -10, truePeakDb: -0.5 })).toBe(-6);
  });

  it('is rendered with a volume filter instead of loudnorm', () => {
    expect(normaliseFilter(BROADCAST, notice, 2.86)).toBe('aformat=channel_layouts=mono,volume=1.94dB,aresample=44100');
    expect(normaliseFilter(BROADCAST, notice, 3)).toMatch(/,loudnorm=I=-16:/);
  });
});

describe('correctedTarget', () => {
  it('leaves a rendition within 1 LU alone', () => {
    expect(correctedTarget(BROADCAST, -16.8, 60)).toBeNull();
    expect(correctedTarget(BROADCAST, -15.2, 60)).toBeNull();
  });

  it('asks for the shortfall on top of the target, within limits', () => {
    expect(correctedTarget(BROADCAST, -17.1, 60)).toBe(-14.9);
    expect(correctedTarget(BROADCAST, -14.5, 60)).toBe(-17.5);
    expect(correctedTarget(BROADCAST, -30, 60)).toBe(-12);
  });

  it('makes no second pass over a short clip, whose gain is already at the ceiling', () => {
    expect(correctedTarget(BROADCAST, -17.6, 2.9)).toBeNull();
  });
});
