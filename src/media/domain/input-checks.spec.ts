import { checkAudible, checkDecodedLength, chooseAudioStream, type Probe } from './input-checks';
import { MediaRejected } from './media-rejected';

const TWO_HOURS = 7200;
const rejection = (attempt: () => unknown): string => {
  try {
    attempt();
  } catch (error) {
    if (error instanceof MediaRejected) return error.reason;
    throw error;
  }
  throw new Error('expected a rejection');
};

describe('chooseAudioStream', () => {
  it('takes the audio stream and skips the cover picture', () => {
    const probe: Probe = {
      durationSeconds: 26.75,
      streams: [
        { index: 0, codecType: 'video', codecName: 'mjpeg', attachedPicture: true },
        { index: 1, codecType: 'audio', codecName: 'mp3', attachedPicture: false, durationSeconds: 26.7 },
      ],
    };
    expect(chooseAudioStream(probe, TWO_HOURS)).toEqual({ streamIndex: 1, declaredSeconds: 26.7 });
  });

  it('falls back to the container duration, and accepts a stream that declares none', () => {
    const stream = { index: 0, codecType: 'audio', attachedPicture: false };
    expect(chooseAudioStream({ durationSeconds: 12, streams: [stream] }, TWO_HOURS).declaredSeconds).toBe(12);
    expect(chooseAudioStream({ streams: [stream] }, TWO_HOURS).declaredSeconds).toBeUndefined();
  });

  it.each<[string, Probe, string]>([
    ['nothing inside', { streams: [] }, 'not a media file'],
    ['video only', { streams: [{ index: 0, codecType: 'video', attachedPicture: false }] }, 'no audio stream: the file holds only video'],
    ['a lone picture', { streams: [{ index: 0, codecType: 'video', attachedPicture: true }] }, 'no audio stream'],
    ['zero length', { streams: [{ index: 0, codecType: 'audio', attachedPicture: false, durationSeconds: 0 }] }, 'no audio to broadcast: the file lasts 0 seconds'],
    ['over the limit', { streams: [{ index: 0, codecType: 'audio', attachedPicture: false, durationSeconds: 7800 }] }, 'too long: 2 h 10 min (the limit is 2 h)'],
  ])('refuses %s', (_, probe, reason) => {
    expect(rejection(() => chooseAudioStream(probe, TWO_HOURS))).toBe(reason);
  });
});

describe('checkDecodedLength', () => {
  it('passes a file that decodes to what it declares', () => {
    expect(() => checkDecodedLength({ streamIndex: 0, declaredSeconds: 21.55 }, 21.52, TWO_HOURS)).not.toThrow();
    expect(() => checkDecodedLength({ streamIndex: 0 }, 30, TWO_HOURS)).not.toThrow();
  });

  it('calls a file that stops well short of its header truncated', () => {
    expect(rejection(() => checkDecodedLength({ streamIndex: 0, declaredSeconds: 26.75 }, 10.63, TWO_HOURS))).toBe(
      'file is truncated: it plays 10.6 s of the 26.8 s its header declares',
    );
  });

  it('forgives a short shortfall on a short clip', () => {
    expect(() => checkDecodedLength({ streamIndex: 0, declaredSeconds: 3 }, 2.5, TWO_HOURS)).not.toThrow();
  });

  it('measures length again when the header declared none', () => {
    expect(rejection(() => checkDecodedLength({ streamIndex: 0 }, 9000, TWO_HOURS))).toBe('too long: 2 h 30 min (the limit is 2 h)');
    expect(rejection(() => checkDecodedLength({ streamIndex: 0 }, 0, TWO_HOURS))).toBe('no audio could be decoded from the file');
  });
});

describe('checkAudible', () => {
  it('refuses digital silence', () => {
    expect(rejection(() => checkAudible(-Infinity))).toBe('silent: nothing to broadcast');
    expect(rejection(() => checkAudible(-70))).toBe('silent: nothing to broadcast');
    expect(() => checkAudible(-45)).not.toThrow();
  });
});
