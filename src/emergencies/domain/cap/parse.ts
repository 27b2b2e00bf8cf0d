// OASIS CAP 1.2 (Common Alerting Protocol) elements to a typed message. Pure: text
// in, values out; the rules are the OASIS CAP 1.2 standard's.
import type { Element } from '@xmldom/xmldom';
import { isStorable } from '../../../infra/text/hidden-characters';
import { capDate, formatCapDate } from './date';
import { decode, parseXml } from './decode';
import { quote, reject } from './rejected';

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';

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
