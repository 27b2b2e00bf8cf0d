// The package each command sends down, and the report from the county that
// ends its wait.
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { MsgType, type EbdType } from '../../ebd/domain/codes';
import { connectionCheck, ebm, ebmStateRequest, omdRequest } from '../../ebd/domain/details';
import type { XmlContent } from '../../ebd/domain/xml-writer';
import { optionalText } from '../../ebd/domain/xml-reader';
import { reportWindow, type UpperOptions } from './args';
import type { ReceivedReport } from './upper-platform';

export interface Outgoing {
  type: EbdType;
  detail: XmlContent;
  resources: Array<{ name: string; data: Buffer }>;
  /** What to print of it. */
  content: Record<string, string>;
  /** The EBM it is about (ebm, cancel, state). */
  ebmId?: string;
}

/** The sender of the EBMs the simulator sends (SenderName/SenderCode). */
const SENDER = { senderName: '铜仁市应急广播平台（模拟）', senderCode: '520600000000' };

/**
 * The package of a sending command. `mintEbmId` gives a new EBMID of this
 * platform (ebm and cancel: a cancel is an EBM of its own relating to the
 * one it cancels); `audio` is the --audio file's name and bytes.
 */
export function outgoing(
  options: UpperOptions,
  now: Date,
  mintEbmId: () => string,
  audio?: { path: string; data: Buffer },
): Outgoing {
  switch (options.command) {
    case 'ebm': {
      const message = options.ebm!;
      const ebmId = mintEbmId();
      const name = audio && `EBDR_${basename(audio.path)}`;
      return {
        type: 'EBM',
        detail: ebm({
          ebmId,
          msgType: message.msgType,
          ...SENDER,
          sendTime: now,
          eventType: message.eventType,
          severity: message.severity,
          startTime: now,
          endTime: new Date(now.getTime() + message.durationMs),
          title: message.title,
          // Without audio the county speaks MsgDesc: the title serves when no --desc is given.
          description: message.description ?? (audio ? undefined : message.title),
          areaCodes: message.areaCodes,
          ...(audio && name
            ? {
                audio: { name, size: audio.data.length, digest: createHash('sm3').update(audio.data).digest('hex') },
              }
            : {}),
        }),
        resources: audio && name ? [{ name, data: audio.data }] : [],
        content: {
          EBMID: ebmId,
          MsgType: String(message.msgType),
          AreaCode: message.areaCodes.join(','),
          ...(name ? { audio: name } : {}),
        },
        ebmId,
      };
    }
    case 'cancel': {
      const cancelId = mintEbmId();
      return {
        type: 'EBM',
        detail: ebm({
          ebmId: cancelId,
          relatedEbmId: options.ebmId,
          msgType: MsgType.Cancel,
          ...SENDER,
          sendTime: now,
          eventType: '00000',
          severity: 4,
          startTime: now,
          endTime: now,
          title: '取消播发',
          areaCodes: [],
        }),
        resources: [],
        content: { EBMID: cancelId, MsgType: '2', RelatedEBMID: options.ebmId! },
        ebmId: options.ebmId,
      };
    }
    case 'state':
      return {
        type: 'EBMStateRequest',
        detail: ebmStateRequest(options.ebmId!),
        resources: [],
        content: { EBMID: options.ebmId! },
        ebmId: options.ebmId,
      };
    case 'omd': {
      const { type, window } = options.omd!;
      const asked = window && reportWindow(window, now);
      return {
        type: 'OMDRequest',
        detail: omdRequest(type, asked),
        resources: [],
        content: {
          OMDType: type,
          ...(asked ? { RptType: asked.type, from: asked.start.toISOString(), until: asked.end.toISOString() } : {}),
        },
      };
    }
    case 'heartbeat':
      return { type: 'ConnectionCheck', detail: connectionCheck(now), resources: [], content: {} };
    case 'serve':
      throw new Error('serve sends nothing');
  }
}

const FINAL_STATES = ['3', '4', '5'];

/**
 * The report that answers what was sent, ending the command's wait: an EBM's
 * final state (ebm, cancel), the answer relating to the request (state,
 * omd). Null: nothing to wait for (heartbeat), or wait for ever (serve).
 */
export function awaited(
  options: UpperOptions,
  sent: { ebdId: string; ebmId?: string } | null,
): ((report: ReceivedReport) => boolean) | null {
  const is = (report: ReceivedReport, type: EbdType) => report.package.header.type === type;
  const state = (report: ReceivedReport) => optionalText(report.package.detail, 'BrdStateCode') ?? '';
  const about = (report: ReceivedReport) => optionalText(report.package.detail, 'EBM/EBMID') === sent?.ebmId;
  switch (options.command) {
    case 'ebm':
    case 'cancel':
      return (report) => is(report, 'EBMStateResponse') && about(report) && FINAL_STATES.includes(state(report));
    case 'state':
      return (report) => is(report, 'EBMStateResponse') && report.package.header.relatedEbdId === sent?.ebdId;
    case 'omd':
      return (report) => is(report, options.omd!.type) && report.package.header.relatedEbdId === sent?.ebdId;
    default:
      return null;
  }
}
