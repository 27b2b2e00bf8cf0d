// Writes the exchange's XML as the field does: UTF-8 without a byte-order
// mark, `<?xml version="1.0" encoding="utf-8"?>`, no namespace, indented,
// lists as repeated siblings. Signatures cover these exact bytes, so a
// package is written once and never re-serialised.

/** An element: its name and either text or children (absent values are left out). */
export type XmlElement = [name: string, content: XmlContent];
export type XmlContent = string | number | ReadonlyArray<XmlElement | null | undefined | false>;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const escape = (text: string) => text.replace(/[&<>"']/g, (character) => ESCAPES[character]);

function write([name, content]: XmlElement, depth: number, lines: string[]): void {
  const indent = '  '.repeat(depth);
  if (typeof content === 'string' || typeof content === 'number') {
    lines.push(`${indent}<${name}>${escape(String(content))}</${name}>`);
    return;
  }
  const children = content.filter((child): child is XmlElement => Array.isArray(child));
  if (!children.length) {
    lines.push(`${indent}<${name}/>`);
    return;
  }
  lines.push(`${indent}<${name}>`);
  for (const child of children) write(child, depth + 1, lines);
  lines.push(`${indent}</${name}>`);
}

export function xmlDocument(root: XmlElement): Buffer {
  const lines = ['<?xml version="1.0" encoding="utf-8"?>'];
  write(root, 0, lines);
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

/** An optional element: left out when its value is. */
export const optional = (name: string, value: string | number | null | undefined): XmlElement | null =>
  value === null || value === undefined || value === '' ? null : [name, value];
