import { parseArgs } from 'node:util';
import { OMD_TYPES, type OmdType } from '../../ebd/domain/codes';
import { parseEbdTime } from '../../ebd/domain/ebd-time';
import type { ReportWindow } from '../../ebd/domain/details';
import { readAreaCodes } from '../../ebd/domain/ebm';
import { ANY_EBRID_PATTERN, EBMID_PATTERN } from '../../ebd/domain/ids';
import { normalisePublicKey } from '../../ebd/domain/sm2';
import { REGION_CODE_PATTERN } from '../../kernel/region';
import { parseDuration } from '../clock';

/** Tongren city's platform (铜仁市, 520600): the upper platform of the seed counties. */
export const DEFAULT_UPPER_EBRID = '35206000000000101010101';

export const USAGE = `Usage: npm run sim:upper -- <command> [options]

Plays the upper emergency-broadcast platform (a city's or a province's) of a
Dalaba county over the EBD exchange: it listens for the county's reports,
verifies their signatures and prints them, and sends packages down.

Commands:
  serve                   print what the county sends until Ctrl-C (or --wait)
  ebm                     send an EBM, then print the county's state responses until a final state (3/4/5)
  cancel --ebm EBMID      cancel an EBM (MsgType 2), then print until its final state
  state --ebm EBMID       ask for an EBM's state (EBMStateRequest), then print the answer
  omd --type TYPE         ask for O&M data (OMDRequest: EBRDTInfo, EBRDTState, EBRPSInfo, EBRPSState,
                          EBMBrdLog), then print the answer
  heartbeat               send a ConnectionCheck down

This platform:
  --ebrid EBRID           its 23-digit EBRID (default ${DEFAULT_UPPER_EBRID}, 铜仁市)
  --key FILE              its SM2 key file (npm run ebd:keygen writes one; a missing file is created with a
                          new key). Without it a new key every run: its public key is printed either way
  --host HOST             listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --port N                default 7310; the county's upperUrl must reach it
  --url URL               where the county reaches it (default http://HOST:PORT/ebd)
  --state FILE            its EBDID and EBMID sequences, so that no ID repeats (default .sim-upper-state.json)

The county:
  --server URL            the Dalaba server (default http://127.0.0.1:3000)
  --county-code CODE      the county's 12-digit region code; with --token the link is read from
                          GET /api/v1/ebd/links/CODE (its EBRID, receive URL and public key)
  --token TOKEN           an admin's bearer token (default $DALABA_TOKEN)
  --county EBRID          the county platform's EBRID (DEST; default from the link, else 4+CODE+0101010101)
  --county-key HEX        its SM2 public key, to verify what it sends (default from the link)
  --to URL                its receive URL (default from the link, else SERVER/api/v1/ebd/exchange)

ebm:
  --area CODES            area codes, comma-separated (default --county-code)
  --title TEXT            MsgTitle (default 应急广播演练)
  --desc TEXT             MsgDesc: spoken by text-to-speech when there is no audio
  --severity 1-4          1 特别重大 … 4 一般 (default 4)
  --event CODE            EventType (default 11B03)
  --msg-type 1|3|4|5      1 实际播发, 3–5 演练 (default 1)
  --audio FILE            an MP3, attached as EBDR_<name> with its Size and SM3 Digest
  --duration D            StartTime now, EndTime now + D (e.g. 25s, 30m; default 30m)
omd:
  --full | --incremental  RptType; with a window RptStartTime --from .. RptEndTime --until
  --from, --until TIME    yyyy-MM-dd HH:mm:ss Beijing time (default: the 24 hours up to now)

  --wait SECONDS          stop waiting after this long (0: send and go; serve: run this long)
  --json                  print each event as one JSON line
Exit codes: 0 done, 1 refused or nothing arrived in time, 2 bad command line.`;

export const COMMANDS = ['serve', 'ebm', 'cancel', 'state', 'omd', 'heartbeat'] as const;
export type Command = (typeof COMMANDS)[number];
const isCommand = (text: string | undefined): text is Command => (COMMANDS as readonly string[]).includes(text ?? '');

export interface EbmOptions {
  areaCodes: string[];
  title: string;
  description?: string;
  severity: number;
  eventType: string;
  msgType: number;
  audioFile?: string;
  durationMs: number;
}

export interface UpperOptions {
  command: Command;
  ebrid: string;
  keyFile?: string;
  host: string;
  port: number;
  url?: string;
  stateFile: string;
  server: string;
  countyCode?: string;
  token?: string;
  county?: string;
  countyKey?: string;
  to?: string;
  /** cancel and state: the EBM they are about. */
  ebmId?: string;
  ebm?: EbmOptions;
  omd?: { type: OmdType; window?: Omit<ReportWindow, 'start' | 'end'> & { start?: Date; end?: Date } };
  waitMs?: number;
  json: boolean;
}

/** The command line as the upper-platform simulator needs it; a bad value throws a message naming the option. */
export function parseUpperOptions(argv: string[], env: NodeJS.ProcessEnv): UpperOptions | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      ebrid: { type: 'string', default: DEFAULT_UPPER_EBRID },
      key: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '7310' },
      url: { type: 'string' },
      state: { type: 'string', default: '.sim-upper-state.json' },
      server: { type: 'string', default: 'http://127.0.0.1:3000' },
      'county-code': { type: 'string' },
      token: { type: 'string' },
      county: { type: 'string' },
      'county-key': { type: 'string' },
      to: { type: 'string' },
      ebm: { type: 'string' },
      area: { type: 'string' },
      title: { type: 'string', default: '应急广播演练' },
      desc: { type: 'string' },
      severity: { type: 'string', default: '4' },
      event: { type: 'string', default: '11B03' },
      'msg-type': { type: 'string', default: '1' },
      audio: { type: 'string' },
      duration: { type: 'string', default: '30m' },
      type: { type: 'string' },
      full: { type: 'boolean', default: false },
      incremental: { type: 'boolean', default: false },
      from: { type: 'string' },
      until: { type: 'string' },
      wait: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const [command, ...extra] = positionals;
  if (!isCommand(command))
    throw new Error(`a command is required: ${COMMANDS.join(', ')}${command ? `, not "${command}"` : ''}`);
  if (extra.length) throw new Error(`unexpected arguments: ${extra.join(' ')}`);
  const ebrid = ebridOption('--ebrid', values.ebrid)!;
  const countyCode = values['county-code'];
  if (countyCode !== undefined && !REGION_CODE_PATTERN.test(countyCode))
    throw new Error(`--county-code: a 12-digit region code, not "${countyCode}"`);
  const countyKey = values['county-key'];
  if (countyKey !== undefined && !normalisePublicKey(countyKey))
    throw new Error('--county-key: not an SM2 public key (hex, 04‖x‖y or compressed)');
  const options: UpperOptions = {
    command,
    ebrid,
    keyFile: values.key,
    host: values.host,
    port: integer('--port', values.port, 0, 65_535),
    url: values.url === undefined ? undefined : httpUrl('--url', values.url),
    stateFile: values.state,
    server: httpUrl('--server', values.server).replace(/\/+$/, ''),
    countyCode,
    token: values.token ?? (env.DALABA_TOKEN || undefined),
    county: ebridOption('--county', values.county),
    countyKey: countyKey && normalisePublicKey(countyKey)!,
    to: values.to === undefined ? undefined : httpUrl('--to', values.to),
    waitMs: values.wait === undefined ? undefined : integer('--wait', values.wait, 0, 24 * 3600) * 1000,
    json: values.json,
  };
  if (command === 'cancel' || command === 'state') {
    if (!values.ebm || !EBMID_PATTERN.test(values.ebm)) throw new Error(`${command}: --ebm EBMID is required`);
    options.ebmId = values.ebm;
  }
  if (command === 'ebm') options.ebm = ebmOptions(values, countyCode);
  if (command === 'omd') options.omd = omdOptions(values);
  if (command !== 'serve' && !options.county && !countyCode)
    throw new Error(`${command}: the county is needed: --county EBRID or --county-code CODE`);
  return options;
}

function ebmOptions(
  values: { [name: string]: string | boolean | undefined },
  countyCode: string | undefined,
): EbmOptions {
  const area = (values.area as string | undefined) ?? countyCode;
  if (!area) throw new Error('ebm: --area CODES (or --county-code) is required');
  const areaCodes = option('--area', () => readAreaCodes(area));
  const msgType = integer('--msg-type', values['msg-type'] as string, 1, 5);
  if (msgType === 2) throw new Error('--msg-type: 2 cancels: use the cancel command');
  const eventType = values.event as string;
  if (!/^[0-9A-Z]{5}$/.test(eventType))
    throw new Error(`--event: a 5-character event code such as 11B03, not "${eventType}"`);
  const durationMs = option('--duration', () => parseDuration(values.duration as string));
  if (durationMs <= 0) throw new Error('--duration: must be longer than 0');
  return {
    areaCodes,
    title: values.title as string,
    ...(values.desc ? { description: values.desc as string } : {}),
    severity: integer('--severity', values.severity as string, 1, 4),
    eventType,
    msgType,
    ...(values.audio ? { audioFile: values.audio as string } : {}),
    durationMs,
  };
}

function omdOptions(values: { [name: string]: string | boolean | undefined }): NonNullable<UpperOptions['omd']> {
  const type = values.type as string | undefined;
  if (!type || !(OMD_TYPES as readonly string[]).includes(type))
    throw new Error(`omd: --type is one of ${OMD_TYPES.join(', ')}${type ? `, not "${type}"` : ''}`);
  if (values.full && values.incremental) throw new Error('omd: --full or --incremental, not both');
  const windowed = values.full || values.incremental || values.from !== undefined || values.until !== undefined;
  if (!windowed) return { type: type as OmdType };
  return {
    type: type as OmdType,
    window: {
      type: values.incremental ? 'Incremental' : 'Full',
      ...(values.from !== undefined ? { start: time('--from', values.from as string) } : {}),
      ...(values.until !== undefined ? { end: time('--until', values.until as string) } : {}),
    },
  };
}

/** The report window an OMD request asks for, its open ends filled in: the 24 hours up to `until` (default now). */
export function reportWindow(window: NonNullable<NonNullable<UpperOptions['omd']>['window']>, now: Date): ReportWindow {
  const end = window.end ?? now;
  return { type: window.type, start: window.start ?? new Date(end.getTime() - 24 * 3600_000), end };
}

function option<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

function integer(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max)
    throw new Error(`${name}: expected an integer ${min}..${max}, got "${text}"`);
  return value;
}

function httpUrl(name: string, text: string): string {
  const url = option(name, () => new URL(text));
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${name}: not an http(s) URL: "${text}"`);
  return text;
}

function ebridOption(name: string, text: string | undefined): string | undefined {
  if (text !== undefined && !ANY_EBRID_PATTERN.test(text)) throw new Error(`${name}: a 23-digit EBRID, not "${text}"`);
  return text;
}

function time(name: string, text: string): Date {
  const instant = parseEbdTime(text);
  if (!instant) throw new Error(`${name}: a Beijing time yyyy-MM-dd HH:mm:ss, not "${text}"`);
  return instant;
}
