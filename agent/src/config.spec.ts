import { ConfigError, readConfig } from './config';

describe('the environment file', () => {
  it('has defaults for all but the server', () => {
    const config = readConfig({ DALABA_SERVER: 'https://dalaba.example.cn/' });
    expect(config).toMatchObject({
      server: 'https://dalaba.example.cn',
      output: { kind: 'alsa', device: 'default' },
      maxClockOffsetMs: 1000,
      stateDir: '/var/lib/dalaba-agent',
    });
  });

  it('reads a WAV output and an ALSA device by name', () => {
    expect(readConfig({ DALABA_SERVER: 'http://s', DALABA_AUDIO_OUTPUT: 'wav:/tmp/horn.wav' }).output).toEqual({
      kind: 'wav',
      path: '/tmp/horn.wav',
    });
    expect(
      readConfig({ DALABA_SERVER: 'http://s', DALABA_AUDIO_OUTPUT: 'alsa:plughw:CARD=Device,DEV=0' }).output,
    ).toEqual({ kind: 'alsa', device: 'plughw:CARD=Device,DEV=0' });
  });

  it('names every problem at once', () => {
    expect(() =>
      readConfig({ DALABA_AUDIO_OUTPUT: 'speaker', DALABA_HEARTBEAT_SECONDS: '0', DALABA_CACHE_DAYS: 'week' }),
    ).toThrow(
      new ConfigError(
        'DALABA_SERVER is required (e.g. https://dalaba.example.gov.cn); DALABA_AUDIO_OUTPUT must be alsa:<device> or wav:<path>, not "speaker"; DALABA_CACHE_DAYS must be a whole number from 1 to 365, not "week"; DALABA_HEARTBEAT_SECONDS must be a whole number from 1 to 3600, not "0"',
      ),
    );
  });
});
