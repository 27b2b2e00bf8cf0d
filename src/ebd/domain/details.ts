// The detail element of every package this platform writes, and of those the
// upper platform sends (for the upper-platform simulator and tests). Element
// order follows the samples of the field (docs/ebd-exchange.md).
import {
  AUXILIARY_MP3,
  BRD_STATE_DESC,
  type BrdState,
  type OmdType,
  RESOURCE_STATE_DESC,
  type ResourceState,
  type ResultCode,
  RESULT_DESC,
} from './codes';
import { formatEbdTime } from './ebd-time';
import { optional, type XmlContent, type XmlElement } from './xml-writer';

export const connectionCheck = (rptTime: Date): XmlContent => [['RptTime', formatEbdTime(rptTime)]];

export const ebdResponse = (code: ResultCode, desc?: string): XmlContent => [
  ['ResultCode', code],
  ['ResultDesc', desc ? `${RESULT_DESC[code]}: ${desc}` : RESULT_DESC[code]],
];

export interface Coverage {
  /** Loudspeakers that played ÷ loudspeakers targeted, 0–1. */
  rate: number;
  areaCodes: string[];
  /** Terminals that played: ResBrdStat counts platforms, adapters, transmission devices, terminals. */
  terminals: number;
}

/** A ratio as the field writes it: `1`, `0.99`, at most four decimals. */
export const formatRate = (rate: number) => String(Math.round(Math.min(1, Math.max(0, rate)) * 10_000) / 10_000);

const coverageElement = (coverage: Coverage): XmlElement => [
  'Coverage',
  [
    ['CoverageRate', formatRate(coverage.rate)],
    ['AreaCode', coverage.areaCodes.join(',')],
    ['ResBrdStat', `1,0,0,${coverage.terminals}`],
  ],
];

export const ebmStateResponse = (input: {
  rptTime: Date;
  ebmId: string;
  state: BrdState;
  coverage?: Coverage;
  platformEbrid: string;
}): XmlContent => [
  ['RptTime', formatEbdTime(input.rptTime)],
  ['EBM', [['EBMID', input.ebmId]]],
  ['BrdStateCode', input.state],
  ['BrdStateDesc', BRD_STATE_DESC[input.state]],
  input.coverage && coverageElement(input.coverage),
  ['ResBrdInfo', [['ResBrdItem', [['EBRPS', [['EBRID', input.platformEbrid]]]]]]],
];

export interface ReportWindow {
  start: Date;
  end: Date;
  type: 'Full' | 'Incremental';
}

const params = (window: ReportWindow | undefined, withType: boolean): XmlElement | null =>
  window
    ? [
        'Params',
        [
          ['RptStartTime', formatEbdTime(window.start)],
          ['RptEndTime', formatEbdTime(window.end)],
          withType ? ['RptType', window.type] : null,
        ],
      ]
    : null;

export interface PlatformInfo {
  rptTime: Date;
  ebrid: string;
  name: string;
  upperEbrid: string;
  address?: string | null;
  contact?: string | null;
  phone?: string | null;
  longitude?: number | null;
  latitude?: number | null;
  url: string;
}

const coordinate = (value: number | null | undefined) =>
  value === null || value === undefined ? undefined : String(Math.round(value * 1e6) / 1e6);

export const ebrpsInfo = (platform: PlatformInfo, window?: ReportWindow): XmlContent => [
  params(window, true),
  [
    'EBRPS',
    [
      ['RptTime', formatEbdTime(platform.rptTime)],
      ['RptType', 'Sync'],
      ['RelatedEBRPS', [['EBRID', platform.upperEbrid]]],
      ['EBRID', platform.ebrid],
      ['EBRName', platform.name],
      optional('Address', platform.address),
      optional('Contact', platform.contact),
      optional('PhoneNumber', platform.phone),
      optional('Longitude', coordinate(platform.longitude)),
      optional('Latitude', coordinate(platform.latitude)),
      ['URL', platform.url],
    ],
  ],
];

export interface TerminalInfo {
  rptTime: Date;
  /** Sync: added or changed; Delete: gone (revoked). */
  rptType: 'Sync' | 'Delete';
  ebrid: string;
  name: string;
  longitude?: number | null;
  latitude?: number | null;
}

export const ebrdtInfo = (
  platformEbrid: string,
  terminals: readonly TerminalInfo[],
  window?: ReportWindow,
): XmlContent => [
  params(window, true),
  ...terminals.map((terminal): XmlElement => [
    'EBRDT',
    [
      ['RptTime', formatEbdTime(terminal.rptTime)],
      ['RptType', terminal.rptType],
      ['RelatedEBRPS', [['EBRID', platformEbrid]]],
      ['EBRID', terminal.ebrid],
      ['EBRName', terminal.name],
      optional('Longitude', coordinate(terminal.longitude)),
      optional('Latitude', coordinate(terminal.latitude)),
    ],
  ]),
];

export interface ResourceStateItem {
  rptTime: Date;
  ebrid: string;
  state: ResourceState;
}

/** EBRPSState or EBRDTState: one element per resource, named EBRPS or EBRDT. */
export const resourceStates = (
  item: 'EBRPS' | 'EBRDT',
  states: readonly ResourceStateItem[],
  window?: ReportWindow,
): XmlContent => [
  params(window, true),
  ...states.map((state): XmlElement => [
    item,
    [
      ['RptTime', formatEbdTime(state.rptTime)],
      ['EBRID', state.ebrid],
      ['StateCode', state.state],
      ['StateDesc', RESOURCE_STATE_DESC[state.state]],
    ],
  ]),
];

/** One broadcast in the log: the message as an EBM says it (no audio), with its state and coverage. */
export type BroadcastLogItem = Omit<EbmMessage, 'relatedEbmId' | 'audio'> & { state: BrdState; coverage?: Coverage };

export const ebmBrdLog = (items: readonly BroadcastLogItem[], window?: ReportWindow): XmlContent => [
  params(window, false),
  ...items.map((item): XmlElement => [
    'EBMBrdItem',
    [
      [
        'EBM',
        [
          ['EBMID', item.ebmId],
          ['MsgBasicInfo', basicInfo(item)],
          ['MsgContent', msgContent(item)],
        ],
      ],
      ['BrdStateCode', item.state],
      ['BrdStateDesc', BRD_STATE_DESC[item.state]],
      item.coverage && coverageElement(item.coverage),
    ],
  ]),
];

export interface EbmMessage {
  ebmId: string;
  relatedEbmId?: string;
  msgType: number;
  senderName: string;
  senderCode: string;
  sendTime: Date;
  eventType: string;
  severity: number;
  startTime: Date;
  endTime: Date;
  title: string;
  description?: string | null;
  areaCodes: string[];
  /** Audio in the package: its file name, size and SM3 digest (hex). */
  audio?: { name: string; size: number; digest?: string };
}

const basicInfo = (message: Omit<EbmMessage, 'ebmId' | 'areaCodes' | 'title'>): XmlContent => [
  ['MsgType', message.msgType],
  ['SenderName', message.senderName],
  ['SenderCode', message.senderCode],
  ['SendTime', formatEbdTime(message.sendTime)],
  ['EventType', message.eventType],
  ['Severity', message.severity],
  ['StartTime', formatEbdTime(message.startTime)],
  ['EndTime', formatEbdTime(message.endTime)],
];

const msgContent = (message: Pick<EbmMessage, 'title' | 'description' | 'areaCodes' | 'audio'>): XmlContent => [
  ['LanguageCode', 'zho'],
  ['MsgTitle', message.title],
  optional('MsgDesc', message.description),
  ['AreaCode', message.areaCodes.join(',')],
  message.audio
    ? [
        'Auxiliary',
        [
          ['AuxiliaryType', AUXILIARY_MP3],
          ['AuxiliaryDesc', message.audio.name],
          ['Size', message.audio.size],
          optional('Digest', message.audio.digest),
        ],
      ]
    : null,
];

/** An EBM, as this platform reports a local alert up and as the simulator sends one down. */
export const ebm = (message: EbmMessage): XmlContent => [
  ['EBMVersion', '1'],
  ['EBMID', message.ebmId],
  message.relatedEbmId ? ['RelatedInfo', [['EBMID', message.relatedEbmId]]] : null,
  ['MsgBasicInfo', basicInfo(message)],
  ['MsgContent', msgContent(message)],
];

export const ebmStateRequest = (ebmId: string): XmlContent => [['EBM', [['EBMID', ebmId]]]];

export const omdRequest = (type: OmdType, window?: ReportWindow): XmlContent => [
  ['OMDType', type],
  params(window, true),
];

/** A report of resources this platform has none of (stations, adapters, transmission devices): only its Params. */
export const emptyReport = (window?: ReportWindow): XmlContent => [params(window, true)];
