import { parseOptions } from './args';
import { zoneIso } from 'dalaba-agent/protocol';

const realNow = Date.parse('2026-11-24T02:00:00Z');
const required = ['--endpoints', '3', '--region', '520628001000'];

function parse(extra: string[], env: NodeJS.ProcessEnv = {}) {
  const options = parseOptions([...required, ...extra], env, realNow);
  if (options === 'help') throw new Error('unexpected help');
  return options;
}

describe('the command line', () => {
  it('has defaults for everything but the fleet size and region', () => {
    expect(parse([])).toMatchObject({
      endpoints: 3,
      region: '520628001000',
      server: 'http://127.0.0.1:3000',
      username: 'admin',
      password: 'admin',
      stateFile: '.sim-state.json',
      date: '2026-11-24',
      offsetMs: 0,
      speed: 1,
      failRate: 0,
      runForMs: undefined,
      untilPlayed: false,
      heartbeatEveryMs: 60_000,
      pollEveryMs: 300_000,
      concurrency: 20,
      json: false,
    });
  });

  it('takes the operator from the environment unless given', () => {
    expect(parse([], { SIM_USERNAME: 'op', SIM_PASSWORD: 'secret' })).toMatchObject({
      username: 'op',
      password: 'secret',
    });
    expect(parse(['--username', 'me'], { SIM_USERNAME: 'op' }).username).toBe('me');
  });

  it('plays the simulated date by default, and an at: offset lands on --date', () => {
    expect(parse(['--time-offset', '1d']).date).toBe('2026-11-25');
    expect(parse(['--time-offset=-11h']).date).toBe('2026-11-23');
    const options = parse(['--date', '2026-12-01', '--time-offset', 'at:17:29:50']);
    expect(zoneIso(realNow + options.offsetMs)).toBe('2026-12-01T17:29:50.000+08:00');
    expect(options.date).toBe('2026-12-01');
  });

  it('reads durations and numbers', () => {
    const options = parse([
      '--run-for',
      '2m',
      '--heartbeat-every',
      '15s',
      '--speed',
      '60',
      '--fail-rate',
      '0.25',
      '--until-played',
      '--json',
    ]);
    expect(options).toMatchObject({
      runForMs: 120_000,
      heartbeatEveryMs: 15_000,
      speed: 60,
      failRate: 0.25,
      untilPlayed: true,
      json: true,
    });
  });

  it.each([
    [['--endpoints', '0'], /--endpoints: expected an integer at least 1/],
    [['--fail-rate', '2'], /--fail-rate: expected a number 0..1/],
    [['--speed', '0'], /--speed: must be above 0/],
    [['--run-for', '10'], /--run-for: not a duration/],
    [['--poll-every=-1m'], /--poll-every: must be longer than 0/],
    [['--date', '2026-02-30'], /--date: not a date/],
    [['--server', 'ftp://x'], /--server: not an http\(s\) URL/],
    [['--time-offset', 'at:25:00'], /--time-offset: not a time of day/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('refuses %j', (extra, message) => {
    expect(() => parse(extra)).toThrow(message);
  });

  it('needs a 12-digit region', () => {
    expect(() => parseOptions(['--endpoints', '1'], {}, realNow)).toThrow(/--region/);
  });
});
