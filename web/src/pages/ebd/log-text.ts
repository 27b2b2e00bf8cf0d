import type { EbdMessageKey } from './messages';

/** The log follows the heartbeats (every 30 s by default) without a reload. */
export const LOG_POLL_MS = 5_000;

/** EBDResponse ResultCode 1–5 as its name in the chosen language; null for none or one outside the table. */
export function resultKey(code: number | null): EbdMessageKey | null {
  return code !== null && code >= 1 && code <= 5 ? (`result${code}` as EbdMessageKey) : null;
}

/** EBM MsgType 1–5: 实际播发, 取消播发, 3–5 the kinds of drill. */
export function msgTypeKey(msgType: number): EbdMessageKey | null {
  return msgType >= 1 && msgType <= 5 ? (`msgType${msgType}` as EbdMessageKey) : null;
}

/** BrdStateCode 0–5 as its name: 未处理 … 播发取消. */
export function brdStateKey(state: number | null): EbdMessageKey | null {
  return state !== null && state >= 0 && state <= 5 ? (`state${state}` as EbdMessageKey) : null;
}

/** MsgType 3–5 are drills (平台、前端、终端演练), marked as drills wherever they appear. */
export const isDrillMsgType = (msgType: number) => msgType >= 3 && msgType <= 5;
