// An EBM (应急广播消息) as the upper platform sends it, read and checked, and
// what it becomes in Dalaba: an alert for the county's part of its areas.
import { createHash } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import type { AlertCategory, AlertLevel } from '../../emergencies/domain/alert';
import { MsgType, ResultCode } from './codes';
import { quote, refuse } from './ebd-rejected';
import { EBMID_PATTERN } from './ids';
import {
  at,
  children,
  optionalInteger,
  optionalText,
  optionalTime,
  requiredInteger,
  requiredText,
  textOf,
} from './xml-reader';

export interface EbmAuxiliary {
  type: number;
  /** The resource's file name in the package (or a URL, which Dalaba does not fetch). */
  desc: string;
  size?: number;
  digest?: string;
}

export interface Ebm {
  ebmId: string;
  /** The message this one relates to (RelatedInfo/EBMID): the one a cancel ends. */
  relatedEbmId?: string;
  msgType: number;
  senderName?: string;
  eventType?: string;
  /** 0 未知, 1 特别重大 … 4 一般. */
  severity?: number;
  startTime?: Date;
  endTime?: Date;
  content?: {
    languageCode?: string;
    title: string;
    description?: string;
    areaCodes: string[];
    auxiliaries: EbmAuxiliary[];
  };
}

/** Audio Dalaba airs as sent: 1 MPEG-1 Layer I/II and 2 Layer III (DRA, 3 and 4, no decoder here reads). */
const AIRABLE_AUDIO = [1, 2];
// Area codes: 12 digits; the 6- and 9-digit forms seen are padded with zeros.
const AREA_CODE = /^(\d{6}|\d{9}|\d{12})$/;

export function readEbm(detail: Element): Ebm {
  const ebmId = requiredText(detail, 'EBMID');
  if (!EBMID_PATTERN.test(ebmId)) refuse(ResultCode.ContentMissing, `EBM/EBMID is not a message ID: ${quote(ebmId)}`);
  const msgType = requiredInteger(detail, 'MsgBasicInfo/MsgType', { min: 1, max: 5 });
  const relatedEbmId = optionalText(detail, 'RelatedInfo/EBMID');
  if (relatedEbmId !== undefined && !EBMID_PATTERN.test(relatedEbmId))
    refuse(ResultCode.ContentMissing, `EBM/RelatedInfo/EBMID is not a message ID: ${quote(relatedEbmId)}`);
  const ebm: Ebm = { ebmId, msgType, ...(relatedEbmId ? { relatedEbmId } : {}) };
  // A cancel names what it cancels and nothing more is needed of it.
  if (msgType === MsgType.Cancel) return ebm;
  const basic = at(detail, 'MsgBasicInfo')!;
  const content = at(detail, 'MsgContent') ?? refuse(ResultCode.ContentMissing, 'EBM has no MsgContent');
  const auxiliaries = children(content, 'Auxiliary').map(readAuxiliary);
  const title = requiredText(content, 'MsgTitle', 'MsgContent');
  const description = optionalText(content, 'MsgDesc');
  if (!description && !auxiliaries.some((auxiliary) => AIRABLE_AUDIO.includes(auxiliary.type)))
    refuse(ResultCode.ContentMissing, 'MsgContent has neither MsgDesc to speak nor audio (Auxiliary) to air');
  const startTime = optionalTime(basic, 'StartTime');
  const endTime = optionalTime(basic, 'EndTime');
  if (startTime && endTime && endTime <= startTime)
    refuse(ResultCode.ContentMissing, 'MsgBasicInfo/EndTime is not after its StartTime');
  const eventType = optionalText(basic, 'EventType');
  if (eventType !== undefined && !/^[0-9A-Z]{4,5}$/.test(eventType))
    refuse(ResultCode.ContentMissing, `MsgBasicInfo/EventType is not an event code: ${quote(eventType)}`);
  return {
    ...ebm,
    senderName: optionalText(basic, 'SenderName'),
    eventType,
    severity: requiredInteger(basic, 'Severity', { min: 0, max: 4 }),
    startTime,
    endTime,
    content: {
      languageCode: optionalText(content, 'LanguageCode'),
      title,
      description,
      areaCodes: readAreaCodes(requiredText(content, 'AreaCode', 'MsgContent')),
      auxiliaries,
    },
  };
}

function readAuxiliary(element: Element): EbmAuxiliary {
  const type = requiredInteger(element, 'AuxiliaryType', { min: 0, max: 255 });
  const desc = requiredText(element, 'AuxiliaryDesc', 'Auxiliary');
  const digest = textOf(at(element, 'Digest'));
  return { type, desc, size: optionalInteger(element, 'Size'), ...(digest ? { digest } : {}) };
}

/** A comma list (ASCII or full-width commas, semicolons, spaces) of area codes, each made 12 digits. */
export function readAreaCodes(text: string): string[] {
  const codes = text.split(/[,，;；\s]+/).filter(Boolean);
  for (const code of codes)
    if (!AREA_CODE.test(code))
      refuse(ResultCode.ContentMissing, `MsgContent/AreaCode ${quote(code)} is not an area code`);
  return [...new Set(codes.map((code) => code.padEnd(12, '0')))];
}

/**
 * The audio file an auxiliary names, found in the package and checked
 * against its Size and Digest. The field names resources by AuxiliaryDesc,
 * often with an EBDR_ prefix one side adds and the other does not. Digest's
 * algorithm is not settled in the field (SM3 most likely; SHA-1 in one old
 * comment): the hex digest must be the file's SM3, SHA-256 or SHA-1.
 */
export function auxiliaryAudio(
  ebm: Ebm,
  resources: ReadonlyMap<string, Buffer>,
): { name: string; data: Buffer } | null {
  const auxiliary = ebm.content?.auxiliaries.find((candidate) => AIRABLE_AUDIO.includes(candidate.type));
  if (!auxiliary) return null;
  const base = auxiliary.desc.split(/[\\/]/).pop()!;
  const names = [base, `EBDR_${base}`, base.replace(/^EBDR_/, '')];
  const name = names.find((candidate) => resources.has(candidate));
  if (!name) return refuse(ResultCode.ContentMissing, `the package holds no file ${quote(base)} for its Auxiliary`);
  const data = resources.get(name)!;
  if (!data.length) refuse(ResultCode.ContentMissing, `the audio file ${quote(name)} is empty`);
  if (auxiliary.size !== undefined && auxiliary.size !== data.length)
    refuse(
      ResultCode.ContentMissing,
      `the audio file ${quote(name)} is ${data.length} bytes, not the ${auxiliary.size} its Auxiliary/Size says`,
    );
  if (auxiliary.digest !== undefined && !digestMatches(auxiliary.digest, data))
    refuse(ResultCode.ContentMissing, `the audio file ${quote(name)} does not match its Auxiliary/Digest`);
  return { name, data };
}

function digestMatches(digest: string, data: Buffer): boolean {
  const expected = digest.trim().toLowerCase();
  const algorithms = expected.length === 40 ? ['sha1'] : ['sm3', 'sha256'];
  return algorithms.some((algorithm) => createHash(algorithm).update(data).digest('hex') === expected);
}

/** Severity 1–4 are China's four levels; 0 (未知) airs as the least grave. */
export const levelOfSeverity = (severity: number): AlertLevel =>
  (severity >= 1 && severity <= 4 ? severity : 4) as AlertLevel;

/** Dalaba's category from the 突发事件分类 code (11B 气象, 11C 地震 …). */
export function categoryOfEvent(eventType: string | undefined): AlertCategory {
  const code = eventType ?? '';
  if (code.startsWith('11A')) return 'flood';
  if (code.startsWith('11B')) return 'weather';
  if (code.startsWith('11C')) return 'earthquake';
  if (code.startsWith('11D')) return 'geological';
  if (code.startsWith('11G') || code.startsWith('12G')) return 'fire';
  if (code.startsWith('13')) return 'public-health';
  if (code.startsWith('14')) return 'public-security';
  return 'other';
}
