// What the upper-platform simulator prints: one line per package, as text
// for a person or as JSON for a script (the e2e test reads the JSON).
import type { Element } from '@xmldom/xmldom';
import type { EbdType } from '../../ebd/domain/codes';
import { children, localName, optionalText } from '../../ebd/domain/xml-reader';
import { zoneIso } from 'dalaba-agent/protocol';
import type { ReceivedReport, SentPackage } from './upper-platform';

type Content = Record<string, string | number | Record<string, number> | Array<Record<string, string | undefined>>>;

export interface PrintedEvent {
  event: 'received' | 'sent';
  at: string;
  type: EbdType;
  ebdId: string;
  relatedEbdId?: string;
  /** Received: whether its signature verified with the county's key (null: no key to verify with). */
  verified?: boolean | null;
  /** Sent: the county's EBDResponse, or why there was none. */
  resultCode?: number;
  resultDesc?: string;
  problem?: string;
  content: Content;
}

/** Counts of a child element's text over a list, e.g. StateCode → {"1": 3, "5": 1}. */
function tally(items: Element[], path: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    const key = optionalText(item, path) ?? '?';
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

const defined = (content: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(content).filter(([, value]) => value !== undefined)) as Record<string, string>;

/** The parts of a package's detail worth a glance, by its type. */
export function contentOf(type: EbdType, detail: Element): Content {
  const items = (name: string) => children(detail, name);
  switch (type) {
    case 'EBMStateResponse':
      return defined({
        EBMID: optionalText(detail, 'EBM/EBMID'),
        BrdStateCode: optionalText(detail, 'BrdStateCode'),
        BrdStateDesc: optionalText(detail, 'BrdStateDesc'),
        CoverageRate: optionalText(detail, 'Coverage/CoverageRate'),
        AreaCode: optionalText(detail, 'Coverage/AreaCode'),
        ResBrdStat: optionalText(detail, 'Coverage/ResBrdStat'),
      });
    case 'ConnectionCheck':
      return defined({ RptTime: optionalText(detail, 'RptTime') });
    case 'EBDResponse':
      return defined({
        ResultCode: optionalText(detail, 'ResultCode'),
        ResultDesc: optionalText(detail, 'ResultDesc'),
      });
    case 'EBRDTInfo':
      return { EBRDT: items('EBRDT').length, RptType: tally(items('EBRDT'), 'RptType') };
    case 'EBRDTState':
      return { EBRDT: items('EBRDT').length, StateCode: tally(items('EBRDT'), 'StateCode') };
    case 'EBRPSState':
      return { EBRPS: items('EBRPS').length, StateCode: tally(items('EBRPS'), 'StateCode') };
    case 'EBRPSInfo':
      return defined({ EBRID: optionalText(detail, 'EBRPS/EBRID'), EBRName: optionalText(detail, 'EBRPS/EBRName') });
    case 'EBMBrdLog':
      return {
        EBMBrdItem: items('EBMBrdItem').map((item) =>
          defined({
            EBMID: optionalText(item, 'EBM/EBMID'),
            BrdStateCode: optionalText(item, 'BrdStateCode'),
            CoverageRate: optionalText(item, 'Coverage/CoverageRate'),
          }),
        ),
      };
    case 'EBM':
      return defined({
        EBMID: optionalText(detail, 'EBMID'),
        MsgType: optionalText(detail, 'MsgBasicInfo/MsgType'),
        Severity: optionalText(detail, 'MsgBasicInfo/Severity'),
        MsgTitle: optionalText(detail, 'MsgContent/MsgTitle'),
        AreaCode: optionalText(detail, 'MsgContent/AreaCode'),
      });
    default:
      return { elements: children(detail).map(localName).join(',') };
  }
}

export function receivedEvent(report: ReceivedReport): PrintedEvent {
  const { header, detail } = report.package;
  return {
    event: 'received',
    at: zoneIso(report.at.getTime()),
    type: header.type,
    ebdId: header.ebdId,
    ...(header.relatedEbdId ? { relatedEbdId: header.relatedEbdId } : {}),
    verified: report.verified,
    content: contentOf(header.type, detail),
  };
}

export function sentEvent(sent: SentPackage, type: EbdType, content: Content, at: Date): PrintedEvent {
  return {
    event: 'sent',
    at: zoneIso(at.getTime()),
    type,
    ebdId: sent.sealed.header.ebdId,
    ...(sent.answer
      ? { resultCode: sent.answer.resultCode, resultDesc: sent.answer.resultDesc ?? '', verified: sent.answer.verified }
      : { problem: `HTTP ${sent.status}: ${sent.problem ?? 'no answer'}` }),
    content,
  };
}

const yesNo = (verified: boolean | null | undefined) =>
  verified === true ? 'yes' : verified === false ? 'NO' : 'unknown (no county key)';

function contentText(content: Content): string {
  return Object.entries(content)
    .map(([name, value]) => {
      if (typeof value !== 'object') return `${name} ${value}`;
      if (Array.isArray(value))
        return `${name} ×${value.length}${value.map((item) => `\n    ${contentText(item as Content)}`).join('')}`;
      return `${name} ${Object.entries(value)
        .map(([key, count]) => `${key}×${count}`)
        .join(' ')}`;
    })
    .join(', ');
}

/** One event as a person reads it: `17:30:05 ← EBMStateResponse 10… (re 10…) verified yes: BrdStateCode 2 …`. */
export function formatEvent(event: PrintedEvent): string {
  const clock = event.at.slice(11, 19);
  const related = event.relatedEbdId ? ` (re ${event.relatedEbdId})` : '';
  const content = contentText(event.content);
  if (event.event === 'received')
    return `${clock} ← ${event.type} ${event.ebdId}${related} verified ${yesNo(event.verified)}${content ? `: ${content}` : ''}`;
  const answer = event.problem
    ? `no EBDResponse: ${event.problem}`
    : `EBDResponse ResultCode ${event.resultCode} ${event.resultDesc}, verified ${yesNo(event.verified)}`;
  return `${clock} → ${event.type} ${event.ebdId}${content ? ` (${content})` : ''}\n         ${answer}`;
}
