import { parseArgs } from 'node:util';
import { REGION_CODE_PATTERN } from '../kernel/region';
import { isDate, zoneDate } from 'dalaba-agent/protocol';
import { parseDuration, parseTimeOffset } from './clock';

export const USAGE = `Usage: npm run sim -- --endpoints N --region CODE [options]

Simulates N village loudspeakers against a Dalaba server over the device protocol.

  --server URL            default http://127.0.0.1:3000
  --username, --password  operator who registers new endpoints (default $SIM_USERNAME/$SIM_PASSWORD, else admin/admin)
  --state FILE            enrolled devices to reuse (default .sim-state.json)
  --date YYYY-MM-DD       the date to play (default: the simulated date in Asia/Shanghai, or the next
                          day if nothing is left to air on it; it says so if neither has anything)
  --time-offset D         simulated clock = real clock + D (90s, 3h25m, 1d; a negative one as --time-offset=-10m),
                          or at:HH:MM[:SS]: it is now that time in Asia/Shanghai on --date (default today)
  --speed K               an item plays for durationMs / K (default 1)
  --fail-rate P           chance 0..1 that a playback fails (default 0)
  --run-for D             stop after D of real time
  --until-played          stop once every device has aired the date's playlist
  --heartbeat-every D     default 60s
  --poll-every D          playlist re-pull without events (default 5m)
  --media-dir DIR         keep downloaded audio here (default: hash it and drop it)
  --concurrency N         parallel set-up calls (default 20)
  --json                  end stdout with the summary as one JSON line`;

export interface Options {
  endpoints: number;
  region: string;
  server: string;
  username: string;
  password: string;
  stateFile: string;
  date: string;
  /** --date was given: play it whatever is scheduled. */
  dateGiven: boolean;
  offsetMs: number;
  speed: number;
  failRate: number;
  runForMs: number | undefined;
  untilPlayed: boolean;
  heartbeatEveryMs: number;
  pollEveryMs: number;
  mediaDir: string | undefined;
  concurrency: number;
  json: boolean;
}

/** The command line as the simulator needs it; a bad value throws a message naming the option. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv, realNow: number): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      endpoints: { type: 'string' },
      region: { type: 'string' },
      server: { type: 'string', default: 'http://127.0.0.1:3000' },
      username: { type: 'string' },
      password: { type: 'string' },
      state: { type: 'string', default: '.sim-state.json' },
      date: { type: 'string' },
      'time-offset': { type: 'string', default: '0s' },
      speed: { type: 'string', default: '1' },
      'fail-rate': { type: 'string', default: '0' },
      'run-for': { type: 'string' },
      'until-played': { type: 'boolean', default: false },
      'heartbeat-every': { type: 'string', default: '60s' },
      'poll-every': { type: 'string', default: '5m' },
      'media-dir': { type: 'string' },
      concurrency: { type: 'string', default: '20' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  if (values.date !== undefined && !isDate(values.date)) throw new Error(`--date: not a date: "${values.date}"`);
  const offsetMs = option('--time-offset', () => parseTimeOffset(values['time-offset'], values.date, realNow));
  const server = option('--server', () => new URL(values.server));
  if (server.protocol !== 'http:' && server.protocol !== 'https:')
    throw new Error(`--server: not an http(s) URL: "${values.server}"`);
  if (!values.region || !REGION_CODE_PATTERN.test(values.region))
    throw new Error('--region: a 12-digit region code is required');
  const speed = number('--speed', values.speed, { min: 0 });
  if (speed === 0) throw new Error('--speed: must be above 0');
  return {
    endpoints: number('--endpoints', values.endpoints, { integer: true, min: 1 }),
    region: values.region,
    server: server.toString().replace(/\/+$/, ''),
    username: values.username ?? env.SIM_USERNAME ?? 'admin',
    password: values.password ?? env.SIM_PASSWORD ?? 'admin',
    stateFile: values.state,
    date: values.date ?? zoneDate(realNow + offsetMs),
    dateGiven: values.date !== undefined,
    offsetMs,
    speed,
    failRate: number('--fail-rate', values['fail-rate'], { min: 0, max: 1 }),
    runForMs: values['run-for'] === undefined ? undefined : positiveDuration('--run-for', values['run-for']),
    untilPlayed: values['until-played'],
    heartbeatEveryMs: positiveDuration('--heartbeat-every', values['heartbeat-every']),
    pollEveryMs: positiveDuration('--poll-every', values['poll-every']),
    mediaDir: values['media-dir'],
    concurrency: number('--concurrency', values.concurrency, { integer: true, min: 1 }),
    json: values.json,
  };
}

function option<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

function number(
  name: string,
  text: string | undefined,
  rule: { integer?: boolean; min: number; max?: number },
): number {
  const value = Number(text);
  const fits =
    text !== undefined && text.trim() !== '' && Number.isFinite(value) && (!rule.integer || Number.isInteger(value));
  if (!fits || value < rule.min || (rule.max !== undefined && value > rule.max)) {
    const range = rule.max === undefined ? `at least ${rule.min}` : `${rule.min}..${rule.max}`;
    throw new Error(`${name}: expected ${rule.integer ? 'an integer' : 'a number'} ${range}, got "${text ?? ''}"`);
  }
  return value;
}

function positiveDuration(name: string, text: string): number {
  const ms = option(name, () => parseDuration(text));
  if (ms <= 0) throw new Error(`${name}: must be longer than 0, got "${text}"`);
  return ms;
}
