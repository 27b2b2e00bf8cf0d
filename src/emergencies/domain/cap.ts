// OASIS CAP 1.2 (Common Alerting Protocol) in and out of Dalaba. Pure: text in,
// values out. The rules are the OASIS CAP 1.2 standard's; XML comes from outside
// parties, so nothing in it is ever fetched, resolved or expanded.
import { DOMParser, type Element } from '@xmldom/xmldom';
import { isStorable, withoutHiddenCharacters } from '../../infra/text/hidden-characters';

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';
export const CAP_MAX_BYTES = 1024 * 1024; // larger documents are refused before parsing

/** China's four emergency levels: 1 = I 特别重大 red, 2 = II 重大 orange, 3 = III 较大 yellow, 4 = IV 一般 blue. */
export type AlertLevel = 1 | 2 | 3 | 4;
export const ALERT_CATEGORIES = [
  'flood',
  'geological',
  'earthquake',
  'fire',
  'weather',
  'public-health',
  'public-security',
  'other',
] as const;
export type AlertCategory = (typeof ALERT_CATEGORIES)[number];

/** Thrown for anything that is not a well-formed, valid CAP 1.2 alert; message is a human reason naming the field/rule. */
export class CapRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CapRejected';
  }
}

export interface CapReference {
  sender: string;
  identifier: string;
  sent: string;
}
export interface CapArea {
  description: string;
  geocodes: Array<{ valueName: string; value: string }>;
}
export interface CapInfo {
  language: string;
  categories: string[];
  event: string;
  urgency: string;
  severity: string;
  certainty: string;
  headline?: string;
  description?: string;
  instruction?: string;
  onset?: Date;
  effective?: Date;
  expires?: Date;
  areas: CapArea[];
}
export interface CapAlert {
  identifier: string;
  sender: string;
  sent: Date;
  status: string;
  msgType: string;
  scope: string;
  references: CapReference[];
  infos: CapInfo[];
}

const STATUSES = ['Actual', 'Exercise', 'System', 'Test', 'Draft'];
const MSG_TYPES = ['Alert', 'Update', 'Cancel', 'Ack', 'Error'];
const SCOPES = ['Public', 'Restricted', 'Private'];
const CATEGORIES = [
  'Geo',
  'Met',
  'Safety',
  'Security',
  'Rescue',
  'Fire',
  'Health',
  'Env',
  'Transport',
  'Infra',
  'CBRNE',
  'Other',
];
const URGENCIES = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'];
const SEVERITIES = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'];
const CERTAINTIES = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'];

const reject = (reason: string): never => {
  throw new CapRejected(reason);
};
// Values from the document are quoted back in reasons, never at length.
const clip = (text: string, length: number): string => (text.length > length ? `${text.slice(0, length)}…` : text);
const quote = (text: string): string => JSON.stringify(clip(text, 60));

// CAP's own pattern (§3.3.2): seconds, an explicit offset, no fraction, no 'Z'.
const CAP_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})([+-])(\d{2}):(\d{2})$/;

function capDate(text: string, field: string): Date {
  const match = CAP_DATE_TIME.exec(text);
  if (!match) return reject(`<${field}> ${quote(text)} is not a CAP date-time like 2026-11-23T17:30:00+08:00`);
  const [year, month, day, hour, minute, second, , offsetHours, offsetMinutes] = match.slice(1).map(Number);
  const wall = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const real =
    wall.getUTCFullYear() === year &&
    wall.getUTCMonth() === month - 1 &&
    wall.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60 &&
    offsetHours <= 14 &&
    offsetMinutes < 60;
  if (!real) return reject(`<${field}> ${quote(text)} is not a real date and time`);
  const offset = (match[7] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return new Date(wall.getTime() - offset);
}

/** CAP datetime in county time: 2026-11-23T17:30:00+08:00 (CAP forbids 'Z' and fractions of a second). */
export function formatCapDate(date: Date): string {
  return `${new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}

function decode(xml: Buffer | string): string {
  const bytes = typeof xml === 'string' ? Buffer.byteLength(xml) : xml.length;
  if (bytes > CAP_MAX_BYTES) reject(`the document is larger than 1 MiB (${bytes} bytes)`);
  if (typeof xml === 'string') return xml;
  const encoding = byteOrderMark(xml) ?? declaredEncoding(xml) ?? 'utf-8';
  const decoder = textDecoder(encoding);
  try {
    return decoder.decode(xml);
  } catch {
    return reject(`the bytes are not valid ${encoding} text`);
  }
}

function textDecoder(encoding: string) {
  try {
    return new TextDecoder(encoding, { fatal: true });
  } catch {
    return reject(`unsupported encoding ${quote(encoding)}`);
  }
}

function byteOrderMark(bytes: Buffer): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
}

function declaredEncoding(bytes: Buffer): string | undefined {
  const declaration = /^<\?xml\s[^?]*?encoding\s*=\s*["']([A-Za-z][\w.-]*)["']/.exec(
    bytes.subarray(0, 200).toString('latin1'),
  );
  return declaration?.[1];
}

// Characters XML 1.0 does not allow anywhere, which xmldom lets through.
const NOT_XML_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function parseXml(text: string): Element {
  // Refused before parsing so nothing is ever resolved or expanded (XXE, billion laughs).
  if (/<!(DOCTYPE|ENTITY)/i.test(text)) reject('DTDs and entities are not accepted');
  if (NOT_XML_CHARACTER.test(text)) reject('not well-formed XML: it contains a control character');
  let problem: string | undefined;
  const parser = new DOMParser({
    onError: (_level, message) => {
      problem ??= message;
      throw new Error(message); // stops xmldom at the first problem, whatever its level
    },
  });
  try {
    const root = parser.parseFromString(text, 'text/xml').documentElement;
    if (root) return root;
  } catch (error) {
    problem ??= error instanceof Error ? error.message : String(error);
  }
  return reject(`not well-formed XML: ${clip(problem ?? 'no root element', 200)}`);
}

function capChildren(parent: Element, name: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    const element = node as Element;
    if (node.nodeType === node.ELEMENT_NODE && element.localName === name && element.namespaceURI === CAP_NAMESPACE)
      found.push(element);
  }
  return found;
}

/** The trimmed text of an element that may appear at most once; empty counts as absent. */
function optional(parent: Element, name: string, where: string): string | undefined {
  const [element, second] = capChildren(parent, name);
  if (second) reject(`${where} has more than one <${name}>`);
  const text = element?.textContent?.trim() || undefined;
  // A character reference (&#0;) brings in what XML itself may not carry, and Postgres cannot store.
  if (text !== undefined && !isStorable(text))
    reject(`${where} <${name}> contains a NUL or unpaired surrogate character`);
  return text;
}

function required(parent: Element, name: string, where: string): string {
  return optional(parent, name, where) ?? reject(`${where} has no <${name}>`);
}

function enumerated(value: string, name: string, allowed: string[]): string {
  return allowed.includes(value) ? value : reject(`<${name}> ${quote(value)} is not one of ${allowed.join(', ')}`);
}

// CAP §3.2.1: identifiers and senders must not contain spaces or commas, as references are built from them.
function token(parent: Element, name: string): string {
  const value = required(parent, name, 'the alert');
  return /[\s,]/.test(value) ? reject(`<${name}> ${quote(value)} must not contain spaces or commas`) : value;
}

function references(text: string | undefined): CapReference[] {
  return (text ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((triple) => {
      const [sender, identifier, sent, extra] = triple.split(',');
      if (!sender || !identifier || !sent || extra !== undefined)
        reject(`<references> entry ${quote(triple)} is not sender,identifier,sent`);
      capDate(sent, 'references');
      return { sender, identifier, sent };
    });
}

/** "lat,lon" in WGS 84 decimal degrees. */
function point(text: string, where: string): [number, number] {
  const [lat, lon, extra] = text.split(',');
  const number = (part: string | undefined) => (part && /^[-+]?(\d+\.?\d*|\.\d+)$/.test(part) ? Number(part) : NaN);
  const [latitude, longitude] = [number(lat), number(lon)];
  const inRange = extra === undefined && Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180;
  return inRange ? [latitude, longitude] : reject(`${where}: ${quote(text)} is not a latitude,longitude pair`);
}

function checkPolygon(text: string, where: string): void {
  const points = text
    .split(/\s+/)
    .filter(Boolean)
    .map((pair) => point(pair, `${where} <polygon>`));
  if (points.length < 4)
    reject(`${where} <polygon> has ${points.length} points; CAP needs at least 4, the first repeated as the last`);
  const [first, last] = [points[0], points[points.length - 1]];
  if (first[0] !== last[0] || first[1] !== last[1])
    reject(`${where} <polygon> is not closed: its last point differs from its first`);
}

function checkCircle(text: string, where: string): void {
  const [centre, radius, extra] = text.split(/\s+/).filter(Boolean);
  point(centre ?? '', `${where} <circle>`);
  if (!radius || !/^\d+(\.\d*)?$/.test(radius) || extra !== undefined)
    reject(`${where} <circle> ${quote(text)} is not "lat,lon radius"`);
}

function area(element: Element, where: string): CapArea {
  const description = required(element, 'areaDesc', where);
  for (const polygon of capChildren(element, 'polygon')) checkPolygon(polygon.textContent ?? '', where);
  for (const circle of capChildren(element, 'circle')) checkCircle(circle.textContent ?? '', where);
  const geocodes = capChildren(element, 'geocode').map((geocode) => ({
    valueName: required(geocode, 'valueName', `${where} <geocode>`),
    value: required(geocode, 'value', `${where} <geocode>`),
  }));
  return { description, geocodes };
}

function info(element: Element, where: string, sent: Date): CapInfo {
  const language = optional(element, 'language', where) ?? 'en-US';
  if (!/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(language))
    reject(`${where} <language> ${quote(language)} is not a language tag`);
  const categories = capChildren(element, 'category').map((category) =>
    enumerated(category.textContent?.trim() ?? '', 'category', CATEGORIES),
  );
  if (categories.length === 0) reject(`${where} has no <category>`);
  const event = required(element, 'event', where);
  const urgency = enumerated(required(element, 'urgency', where), 'urgency', URGENCIES);
  const severity = enumerated(required(element, 'severity', where), 'severity', SEVERITIES);
  const certainty = enumerated(required(element, 'certainty', where), 'certainty', CERTAINTIES);
  const date = (name: string) => {
    const text = optional(element, name, where);
    return text === undefined ? undefined : capDate(text, name);
  };
  const [effective, onset, expires] = [date('effective'), date('onset'), date('expires')];
  if (expires && expires < sent)
    reject(`${where} <expires> ${formatCapDate(expires)} is before the alert's <sent> ${formatCapDate(sent)}`);
  return {
    language,
    categories,
    event,
    urgency,
    severity,
    certainty,
    headline: optional(element, 'headline', where),
    description: optional(element, 'description', where),
    instruction: optional(element, 'instruction', where),
    onset,
    effective,
    expires,
    areas: capChildren(element, 'area').map((child, index) => area(child, `${where} <area> ${index + 1}`)),
  };
}

/**
 * Parses bytes (any encoding its XML declaration names: UTF-8, ISO-8859-1 at least). Throws CapRejected.
 * Never resolves entities: any DOCTYPE is refused.
 */
export function parseCap(xml: Buffer | string): CapAlert {
  const root = parseXml(decode(xml));
  if (root.localName !== 'alert') reject(`the root element is <${root.localName}>, not a CAP <alert>`);
  if (root.namespaceURI !== CAP_NAMESPACE) {
    reject(
      `<alert> is in namespace ${quote(root.namespaceURI ?? 'none')}; only CAP 1.2 (${CAP_NAMESPACE}) is accepted`,
    );
  }
  const identifier = token(root, 'identifier');
  const sender = token(root, 'sender');
  const sent = capDate(required(root, 'sent', 'the alert'), 'sent');
  return {
    identifier,
    sender,
    sent,
    status: enumerated(required(root, 'status', 'the alert'), 'status', STATUSES),
    msgType: enumerated(required(root, 'msgType', 'the alert'), 'msgType', MSG_TYPES),
    scope: enumerated(required(root, 'scope', 'the alert'), 'scope', SCOPES),
    references: references(optional(root, 'references', 'the alert')),
    infos: capChildren(root, 'info').map((child, index) => info(child, `<info> ${index + 1}`, sent)),
  };
}

/** What Dalaba makes of a parsed alert. `regionCodeOf` maps a geocode value to a known region code or null (the caller knows the region table). */
export type CapImport =
  | {
      action: 'draft' | 'update';
      references: CapReference[];
      drill: boolean;
      title: string;
      level: AlertLevel;
      category: AlertCategory;
      text: string;
      regionCodes: string[];
      startsAt?: Date;
      expiresAt?: Date;
      unknownAreas: string[];
    }
  | { action: 'cancel'; references: CapReference[]; drill: boolean };

/**
 * CAP severity and urgency → level:
 *
 * | severity        | urgency Immediate | any other urgency |
 * |-----------------|-------------------|-------------------|
 * | Extreme         | I   (1)           | I   (1)           |
 * | Severe          | I   (1)           | II  (2)           |
 * | Moderate        | II  (2)           | III (3)           |
 * | Minor, Unknown  | IV  (4)           | IV  (4)           |
 */
function alertLevel(severity: string, urgency: string): AlertLevel {
  const immediate = urgency === 'Immediate';
  if (severity === 'Extreme') return 1;
  if (severity === 'Severe') return immediate ? 1 : 2;
  if (severity === 'Moderate') return immediate ? 2 : 3;
  return 4;
}

const FLOOD = /flood|inundation|洪|汛/i;
const EARTHQUAKE = /earthquake|tsunami|地震|海啸/i;
// Most specific first: weather (Met) often comes along with another category, as in a fire
// with Fire and Met, and then the other one names the event.
const CATEGORY_OF: Array<[string[], AlertCategory]> = [
  [['Fire'], 'fire'],
  [['Geo'], 'geological'],
  [['Health'], 'public-health'],
  [['Security', 'Safety', 'Rescue'], 'public-security'],
  [['Met'], 'weather'],
];

// CAP has no flood or earthquake category (they are Met/Geo), so the event's own words decide those.
function alertCategory({ categories, event, headline }: CapInfo): AlertCategory {
  const has = (wanted: string[]) => wanted.some((category) => categories.includes(category));
  const words = `${event}\n${headline ?? ''}`;
  if (FLOOD.test(words) && has(['Met', 'Env', 'Geo', 'Safety'])) return 'flood';
  if (EARTHQUAKE.test(words)) return 'earthquake';
  return CATEGORY_OF.find(([wanted]) => has(wanted))?.[1] ?? 'other';
}

/** GB/T 2260 county (6 digits) and township (9 digits) codes padded to the 12-digit statistical division codes regions use. */
export function divisionCode(value: string): string {
  if (/^\d{6}$/.test(value)) return `${value}000000`;
  if (/^\d{9}$/.test(value)) return `${value}000`;
  return value;
}

export function importCap(alert: CapAlert, regionCodeOf: (geocode: string) => string | null): CapImport {
  const { msgType, status, scope, references } = alert;
  if (msgType === 'Ack' || msgType === 'Error')
    reject(`a CAP ${msgType} message is not a public alert Dalaba can broadcast`);
  if (status !== 'Actual' && status !== 'Exercise')
    reject(`a CAP message with status ${status} is not a public alert Dalaba can broadcast`);
  // Loudspeakers are heard by everyone: an alert meant for restricted or named recipients must not be aired.
  if (scope !== 'Public') reject(`a CAP message with scope ${scope} is not a public alert Dalaba can broadcast`);
  const drill = status === 'Exercise';
  if (msgType !== 'Alert' && references.length === 0)
    reject(`a CAP ${msgType} must name the alert it replaces in <references>`);
  if (msgType === 'Cancel') return { action: 'cancel', references, drill };

  const chosen = alert.infos.find((candidate) => candidate.language.toLowerCase().startsWith('zh')) ?? alert.infos[0];
  if (!chosen) return reject(`a CAP ${msgType} with no <info> has nothing to broadcast`);
  if (chosen.areas.length === 0) reject(`the <info> in ${chosen.language} has no <area>, so it reaches no region`);

  const regionCodes = new Set<string>();
  const unknownAreas = new Set<string>();
  for (const { description, geocodes } of chosen.areas) {
    const unmapped: string[] = [];
    for (const { valueName, value } of geocodes) {
      const code = regionCodeOf(divisionCode(value));
      if (code) regionCodes.add(code);
      else unmapped.push(`${valueName} ${value}`);
    }
    if (unmapped.length === geocodes.length)
      unknownAreas.add(unmapped.length ? `${description} (${unmapped.join(', ')})` : description);
  }
  // Upstream text is aired as it is, but nothing that hides or changes what a console or device shows.
  const shown = (line: string | undefined) =>
    line && withoutHiddenCharacters(line.replace(/\s+/g, ' '), 'single').trim();
  const title =
    shown(chosen.headline) || shown(chosen.event) || reject("the alert's <headline> and <event> show nothing");
  return {
    action: msgType === 'Update' ? 'update' : 'draft',
    references,
    drill,
    title,
    level: alertLevel(chosen.severity, chosen.urgency),
    category: alertCategory(chosen),
    text:
      withoutHiddenCharacters(
        [chosen.description, chosen.instruction].filter(Boolean).join('\n\n').replace(/\r\n?/g, '\n'),
        'multi',
      ).trim() || title,
    regionCodes: [...regionCodes],
    startsAt: chosen.onset ?? chosen.effective,
    expiresAt: chosen.expires,
    unknownAreas: [...unknownAreas],
  };
}

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
