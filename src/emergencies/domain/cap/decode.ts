// CAP documents are read by the one safe XML reader (src/infra/text/xml.ts);
// its refusals become CAP refusals.
import type { Element } from '@xmldom/xmldom';
import { decodeXml, parseXml as parseSafely, XmlRejected } from '../../../infra/text/xml';
import { reject } from './rejected';

export { NOT_XML_CHARACTER } from '../../../infra/text/xml';
export const CAP_MAX_BYTES = 1024 * 1024; // larger documents are refused before parsing

const asCapRefusal = <T>(read: () => T): T => {
  try {
    return read();
  } catch (error) {
    if (error instanceof XmlRejected) return reject(error.message);
    throw error;
  }
};

export const decode = (xml: Buffer | string): string => asCapRefusal(() => decodeXml(xml, CAP_MAX_BYTES));
export const parseXml = (text: string): Element => asCapRefusal(() => parseSafely(text));
