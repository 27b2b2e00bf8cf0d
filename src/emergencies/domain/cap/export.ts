// A Dalaba alert out as CAP 1.2 XML, valid against the OASIS schema and read back by
// parseCap and importCap as the same alert.
import type { AlertCategory, AlertLevel } from '../alert';
import { formatCapDate } from './date';
import { NOT_XML_CHARACTER } from './decode';
import { CAP_NAMESPACE, type CapReference } from './parse';

/** Exports one Dalaba alert as CAP 1.2 XML (UTF-8 string with declaration), valid against the OASIS XSD. */
export interface CapExport {
  identifier: string; // e.g. the alert's uuid prefixed, stable per alert
  sender: string; // e.g. 'dalaba@520628000000'
  sent: Date;
  drill: boolean; // → status Exercise (else Actual)
  msgType: 'Alert' | 'Update' | 'Cancel';
  references: CapReference[];
  title: string;
  level: AlertLevel;
  category: AlertCategory;
  text: string;
  startsAt: Date;
  expiresAt: Date;
  areas: Array<{ code: string; name: string }>;
  audioUrl?: string;
  audioBytes?: number;
  /** Not written: CAP's <digest> is defined as SHA-1 (§3.2.3), and a SHA-256 there would be misread. */
  audioSha256?: string;
}

const CAP_CATEGORY: Record<AlertCategory, string> = {
  flood: 'Met',
  geological: 'Geo',
  earthquake: 'Geo',
  fire: 'Fire',
  weather: 'Met',
  'public-health': 'Health',
  'public-security': 'Security',
  other: 'Other',
};

// <event> names the kind of event; these also carry flood and earthquake back through alertCategory.
const EVENT: Record<AlertCategory, string> = {
  flood: '洪涝灾害',
  geological: '地质灾害',
  earthquake: '地震',
  fire: '火灾',
  weather: '气象灾害',
  'public-health': '公共卫生事件',
  'public-security': '社会安全事件',
  other: '突发事件',
};

// The inverse of alertLevel, so an exported alert is read back at its own level: urgency is
// Immediate only for level I, as Severe or Moderate with Immediate would read one level higher.
// Certainty: levels I–II are treated as observed, III–IV as likely (a warning of what may come).
const CAP_LEVEL: Record<AlertLevel, { urgency: string; severity: string; certainty: string }> = {
  1: { urgency: 'Immediate', severity: 'Extreme', certainty: 'Observed' },
  2: { urgency: 'Expected', severity: 'Severe', certainty: 'Observed' },
  3: { urgency: 'Expected', severity: 'Moderate', certainty: 'Likely' },
  4: { urgency: 'Expected', severity: 'Minor', certainty: 'Likely' },
};

function escapeXml(text: string): string {
  return text
    .replace(new RegExp(NOT_XML_CHARACTER.source, 'g'), '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r\n?/g, '\n');
}

export function exportCap(alert: CapExport): string {
  const tag = (depth: number, name: string, value: string | number) =>
    `${'  '.repeat(depth)}<${name}>${escapeXml(String(value))}</${name}>`;
  const { urgency, severity, certainty } = CAP_LEVEL[alert.level];
  const references = alert.references
    .map(({ sender, identifier, sent }) => `${sender},${identifier},${sent}`)
    .join(' ');
  const resource =
    alert.audioUrl === undefined
      ? []
      : [
          '    <resource>',
          tag(3, 'resourceDesc', '广播音频'),
          tag(3, 'mimeType', 'audio/mpeg'),
          ...(alert.audioBytes === undefined ? [] : [tag(3, 'size', alert.audioBytes)]),
          tag(3, 'uri', alert.audioUrl),
          '    </resource>',
        ];
  const areas = alert.areas.flatMap(({ code, name }) => [
    '    <area>',
    tag(3, 'areaDesc', name),
    '      <geocode>',
    tag(4, 'valueName', 'GB/T 2260'),
    tag(4, 'value', code),
    '      </geocode>',
    '    </area>',
  ]);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<alert xmlns="${CAP_NAMESPACE}">`,
    tag(1, 'identifier', alert.identifier),
    tag(1, 'sender', alert.sender),
    tag(1, 'sent', formatCapDate(alert.sent)),
    tag(1, 'status', alert.drill ? 'Exercise' : 'Actual'),
    tag(1, 'msgType', alert.msgType),
    tag(1, 'scope', 'Public'),
    ...(references ? [tag(1, 'references', references)] : []),
    '  <info>',
    tag(2, 'language', 'zh-CN'),
    tag(2, 'category', CAP_CATEGORY[alert.category]),
    tag(2, 'event', EVENT[alert.category]),
    tag(2, 'urgency', urgency),
    tag(2, 'severity', severity),
    tag(2, 'certainty', certainty),
    tag(2, 'onset', formatCapDate(alert.startsAt)),
    tag(2, 'expires', formatCapDate(alert.expiresAt)),
    tag(2, 'headline', alert.title),
    tag(2, 'description', alert.text),
    ...resource,
    ...areas,
    '  </info>',
    '</alert>',
    '',
  ].join('\n');
}
