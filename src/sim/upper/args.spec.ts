import { generateSm2KeyPair } from '../../ebd/domain/sm2';
import { parseUpperOptions, reportWindow } from './args';

const COUNTY = '45206280000000101010101';
const EBMID = '35206000000000101010101202612030001';

function parse(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const options = parseUpperOptions(argv, env);
  if (options === 'help') throw new Error('unexpected help');
  return options;
}

describe('the upper-platform simulator command line', () => {
  it('serves as Tongren city on 127.0.0.1:7310 by default, against a local Dalaba', () => {
    expect(parse(['serve'])).toMatchObject({
      command: 'serve',
      ebrid: '35206000000000101010101',
      host: '127.0.0.1',
      port: 7310,
      server: 'http://127.0.0.1:3000',
      stateFile: '.sim-upper-state.json',
      json: false,
    });
    expect(parse(['serve']).keyFile).toBeUndefined();
    expect(parse(['serve']).waitMs).toBeUndefined();
  });

  it('takes the admin token from DALABA_TOKEN unless given', () => {
    expect(parse(['serve'], { DALABA_TOKEN: 'from-env' }).token).toBe('from-env');
    expect(parse(['serve', '--token', 'given'], { DALABA_TOKEN: 'from-env' }).token).toBe('given');
  });

  it('reads an EBM with its defaults: the county code as area, 30 minutes, severity 4, event 11B03, MsgType 1', () => {
    expect(parse(['ebm', '--county-code', '520628000000']).ebm).toEqual({
      areaCodes: ['520628000000'],
      title: '应急广播演练',
      severity: 4,
      eventType: '11B03',
      msgType: 1,
      durationMs: 30 * 60_000,
    });
    const options = parse([
      'ebm',
      ...['--county', COUNTY, '--area', '520628001,520628101000', '--title', '暴雨预警', '--desc', '请注意'],
      ...['--severity', '2', '--event', '11B04', '--msg-type', '3', '--audio', 'alert.mp3', '--duration', '25s'],
    ]);
    expect(options.county).toBe(COUNTY);
    expect(options.ebm).toEqual({
      areaCodes: ['520628001000', '520628101000'],
      title: '暴雨预警',
      description: '请注意',
      severity: 2,
      eventType: '11B04',
      msgType: 3,
      audioFile: 'alert.mp3',
      durationMs: 25_000,
    });
  });

  it.each([
    [['ebm', '--county', COUNTY], /--area/],
    [['ebm', '--county', COUNTY, '--area', '52062800x'], /--area/],
    [
      ['ebm', '--county', COUNTY, '--area', '520628001000', '--severity', '5'],
      /--severity: expected an integer 1\.\.4/,
    ],
    [['ebm', '--county', COUNTY, '--area', '520628001000', '--msg-type', '2'], /cancel command/],
    [['ebm', '--county', COUNTY, '--area', '520628001000', '--event', 'storm'], /--event/],
    [['ebm', '--county', COUNTY, '--area', '520628001000', '--duration', '0s'], /--duration/],
    [['ebm', '--area', '520628001000'], /the county is needed/],
    [['cancel', '--county', COUNTY], /--ebm EBMID is required/],
    [['state', '--county', COUNTY, '--ebm', '123'], /--ebm EBMID is required/],
    [['omd', '--county', COUNTY, '--type', 'EBRXXInfo'], /--type is one of/],
    [['omd', '--county', COUNTY, '--type', 'EBRDTInfo', '--full', '--incremental'], /not both/],
    [['omd', '--county', COUNTY, '--type', 'EBMBrdLog', '--from', 'yesterday'], /--from: a Beijing time/],
    [['serve', '--ebrid', '3520600'], /--ebrid: a 23-digit EBRID/],
    [['serve', '--county-code', '5206'], /--county-code/],
    [['serve', '--county-key', 'abc'], /--county-key: not an SM2 public key/],
    [['serve', '--port', '70000'], /--port/],
    [['serve', '--server', 'ftp://x'], /--server: not an http/],
    [['serve', '--wait', '-1'], /--wait/],
    [['launch'], /a command is required: serve, ebm, cancel, state, omd, heartbeat, not "launch"/],
    [[], /a command is required/],
    [['serve', 'extra'], /unexpected arguments: extra/],
  ])('refuses %j naming what is wrong', (argv, message) => {
    expect(() => parseUpperOptions(argv, {})).toThrow(message);
  });

  it('refuses an unknown option', () => {
    expect(() => parseUpperOptions(['serve', '--bogus'], {})).toThrow(/bogus/);
  });

  it('answers --help whatever else is there', () => {
    expect(parseUpperOptions(['ebm', '--help'], {})).toBe('help');
  });

  it('reads cancel and state with the EBM they are about, and --wait in seconds', () => {
    expect(parse(['cancel', '--county', COUNTY, '--ebm', EBMID, '--wait', '20'])).toMatchObject({
      command: 'cancel',
      ebmId: EBMID,
      waitMs: 20_000,
    });
    expect(parse(['state', '--county-code', '520628000000', '--ebm', EBMID]).ebmId).toBe(EBMID);
  });

  it('reads an OMD request: no window unless asked, a full one of the 24 hours up to now by default', () => {
    expect(parse(['omd', '--county', COUNTY, '--type', 'EBRDTState']).omd).toEqual({ type: 'EBRDTState' });
    const now = new Date('2026-12-03T08:00:00Z');
    const full = parse(['omd', '--county', COUNTY, '--type', 'EBRDTInfo', '--full']).omd!;
    expect(reportWindow(full.window!, now)).toEqual({
      type: 'Full',
      start: new Date('2026-12-02T08:00:00Z'),
      end: now,
    });
    const given = parse([
      ...['omd', '--county', COUNTY, '--type', 'EBMBrdLog', '--incremental'],
      ...['--from', '2026-12-01 00:00:00', '--until', '2026-12-02 00:00:00'],
    ]).omd!;
    expect(reportWindow(given.window!, now)).toEqual({
      type: 'Incremental',
      start: new Date('2026-11-30T16:00:00Z'),
      end: new Date('2026-12-01T16:00:00Z'),
    });
  });

  it('takes a county key without its 04 or in capitals, and refuses a point off the curve', () => {
    const { publicKey } = generateSm2KeyPair();
    expect(parse(['serve', '--county-key', publicKey.slice(2).toUpperCase()]).countyKey).toBe(publicKey);
    expect(() => parse(['serve', '--county-key', `04${'a1'.repeat(64)}`])).toThrow(/not an SM2 public key/);
  });
});
