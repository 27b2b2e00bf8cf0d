// Reading elements of a received package. The field writes namespaces
// (xmlns:xs, xmlns:xsi) or none, so elements are found by local name; text
// is trimmed; a required element that is missing or empty is ResultCode 3.
import type { Element } from '@xmldom/xmldom';
import { ResultCode } from './codes';
import { quote, refuse } from './ebd-rejected';
import { parseEbdTime } from './ebd-time';

export const localName = (element: Element) => element.localName ?? element.nodeName;

export function children(parent: Element, name?: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1 && (!name || localName(node as Element) === name)) found.push(node as Element);
  }
  return found;
}

export const child = (parent: Element, name: string): Element | undefined => children(parent, name)[0];

/** The element at a path of names below `parent` (first match at each step). */
export function at(parent: Element, path: string): Element | undefined {
  let element: Element | undefined = parent;
  for (const name of path.split('/')) element = element && child(element, name);
  return element;
}

export const textOf = (element: Element | undefined): string | undefined => {
  const text = element?.textContent?.trim();
  return text ? text : undefined;
};

export const optionalText = (parent: Element, path: string) => textOf(at(parent, path));

export function requiredText(parent: Element, path: string, where = localName(parent)): string {
  return optionalText(parent, path) ?? refuse(ResultCode.ContentMissing, `${where}/${path} is missing or empty`);
}

/** A number where the package must have one: placeholders such as 「无」 or `xx` are ResultCode 3, not a zero. */
export function requiredInteger(parent: Element, path: string, allowed?: { min: number; max: number }): number {
  const text = requiredText(parent, path);
  if (!/^\d{1,9}$/.test(text))
    refuse(ResultCode.ContentMissing, `${localName(parent)}/${path} is not a number: ${quote(text)}`);
  const value = Number(text);
  if (allowed && (value < allowed.min || value > allowed.max))
    refuse(
      ResultCode.ContentMissing,
      `${localName(parent)}/${path} must be ${allowed.min}–${allowed.max}, not ${value}`,
    );
  return value;
}

export function optionalInteger(parent: Element, path: string): number | undefined {
  return optionalText(parent, path) === undefined ? undefined : requiredInteger(parent, path);
}

export function requiredTime(parent: Element, path: string): Date {
  const text = requiredText(parent, path);
  return (
    parseEbdTime(text) ??
    refuse(
      ResultCode.ContentMissing,
      `${localName(parent)}/${path} is not a time (yyyy-MM-dd HH:mm:ss): ${quote(text)}`,
    )
  );
}

export function optionalTime(parent: Element, path: string): Date | undefined {
  return optionalText(parent, path) === undefined ? undefined : requiredTime(parent, path);
}
