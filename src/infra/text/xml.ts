// Bytes from outside parties to an XML element, safely, for every format
// Dalaba reads (CAP alerts, EBD packages): the size is capped before anything
// is read, the declared encoding is honoured, and DTDs are refused so nothing
// in a document is ever fetched, resolved or expanded (XXE, billion laughs).
import { DOMParser, type Element } from '@xmldom/xmldom';

/** Thrown for bytes that are not a well-formed XML document Dalaba accepts; the message says why. */
export class XmlRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlRejected';
  }
}

const refuse = (reason: string): never => {
  throw new XmlRejected(reason);
};
const clip = (text: string, length: number) => (text.length > length ? `${text.slice(0, length)}…` : text);

/** The document's text, in the encoding its byte-order mark or declaration names (UTF-8 otherwise). */
export function decodeXml(xml: Buffer | string, maxBytes: number): string {
  const bytes = typeof xml === 'string' ? Buffer.byteLength(xml) : xml.length;
  if (bytes > maxBytes) refuse(`the document is larger than ${describeBytes(maxBytes)} (${bytes} bytes)`);
  if (typeof xml === 'string') return xml;
  const encoding = byteOrderMark(xml) ?? declaredEncoding(xml) ?? 'utf-8';
  const decoder = textDecoder(encoding);
  try {
    return decoder.decode(xml);
  } catch {
    return refuse(`the bytes are not valid ${encoding} text`);
  }
}

const describeBytes = (bytes: number) =>
  bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;

function textDecoder(encoding: string) {
  try {
    return new TextDecoder(encoding, { fatal: true });
  } catch {
    return refuse(`unsupported encoding ${JSON.stringify(clip(encoding, 60))}`);
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
export const NOT_XML_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

export function parseXml(text: string): Element {
  // Refused before parsing so nothing is ever resolved or expanded (XXE, billion laughs).
  if (/<!(DOCTYPE|ENTITY)/i.test(text)) refuse('DTDs and entities are not accepted');
  if (NOT_XML_CHARACTER.test(text)) refuse('not well-formed XML: it contains a control character');
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
  return refuse(`not well-formed XML: ${clip(problem ?? 'no root element', 200)}`);
}
