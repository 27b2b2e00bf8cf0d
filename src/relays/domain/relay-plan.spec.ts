import { fallbackAfter, feedArguments, isDue, slotCovers } from './relay-plan';
import { isPublicAddress, parseRelayUrl, privateAddressProblem } from '../../scheduling/domain/relay-source';

describe('a relay on air', () => {
  const span = { startsAt: 100_000, endsAt: 200_000 };

  it('is fed from its lead before the first start until the last end', () => {
    expect(isDue(span, 15_000, 84_999)).toBe(false);
    expect(isDue(span, 15_000, 85_000)).toBe(true);
    expect(isDue(span, 15_000, 199_999)).toBe(true);
    expect(isDue(span, 15_000, 200_000)).toBe(false);
    // 17:30 county time on 2026-11-24 is 09:30 UTC.
    const opens = Date.parse('2026-11-24T09:30:00Z');
    const evening = { startMinute: 17 * 60 + 30, windowMinutes: 30 };
    expect(slotCovers('2026-11-24', evening, 15_000, opens - 15_000)).toBe(true);
    expect(slotCovers('2026-11-24', evening, 15_000, opens + 30 * 60_000)).toBe(false);
  });

  it('falls back from the source to the filler, then silence, all encoded alike', () => {
    expect(fallbackAfter('source', '/srv/filler.mp3')).toEqual({ kind: 'filler', file: '/srv/filler.mp3' });
    expect(fallbackAfter('source', undefined)).toEqual({ kind: 'silence' });
    expect(fallbackAfter('filler', '/srv/filler.mp3')).toEqual({ kind: 'silence' });
    expect(fallbackAfter('silence', '/srv/filler.mp3')).toBeNull();
    const encoding = { sampleRate: 44_100, channels: 1, bitrateKbps: 64 };
    const tail = (args: string[]) => args.slice(args.indexOf('-vn'));
    const source = feedArguments({ kind: 'source', url: 'http://radio/live' }, encoding, 3);
    const filler = feedArguments({ kind: 'filler', file: '/srv/filler.mp3' }, encoding, 3);
    expect(tail(source)).toEqual(tail(filler));
    expect(source.indexOf('-re')).toBeLessThan(source.indexOf('-i'));
    expect(filler).toEqual(expect.arrayContaining(['-stream_loop', '-1']));
  });
});

describe('a relay source address', () => {
  it('is http or https, and public unless private ones are allowed', () => {
    expect(parseRelayUrl('rtmp://radio/live')).toEqual({ problem: expect.stringMatching(/http:\/\/ or https:\/\//) });
    expect(parseRelayUrl('not a url')).toEqual({ problem: expect.stringMatching(/not a web address/) });
    expect(parseRelayUrl(' https://radio.example.cn/live ')).toEqual({ url: new URL('https://radio.example.cn/live') });
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fd00::1',
      '::ffff:10.0.0.1',
    ])
      expect(isPublicAddress(address)).toBe(false);
    for (const address of ['202.96.128.86', '8.8.8.8', '2400:3200::1']) expect(isPublicAddress(address)).toBe(true);
    expect(privateAddressProblem('radio.lan', ['10.0.0.5'], false)).toMatch(
      /private or local address \(10\.0\.0\.5\).*RELAY_ALLOW_PRIVATE/,
    );
    expect(privateAddressProblem('radio.lan', ['10.0.0.5'], true)).toBeNull();
    expect(privateAddressProblem('radio.cn', ['202.96.128.86'], false)).toBeNull();
  });
});
