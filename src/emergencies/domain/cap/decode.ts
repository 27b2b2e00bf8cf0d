// Bytes to an XML element, safely: CAP comes from outside parties, so the size is
// capped before anything is read, the declared encoding is honoured, and DTDs are
// refused so nothing in a document is ever fetched, resolved or expanded.
import { DOMParser, type Element } from '@xmldom/xmldom';
import { clip, quote, reject } from './rejected';

export const CAP_MAX_BYTES = 1024 * 1024; // larger documents are refused before parsing

export function decode(xml: Buffer | string): string {
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
export const NOT_XML_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

export function parseXml(text: string): Element {
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
