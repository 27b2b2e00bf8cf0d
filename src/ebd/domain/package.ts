// The EBD envelope: every package is `<EBD>` with its version, EBDID, type,
// SRC, DEST, time, the package it answers, and one detail element named
// like its type. Written by xmlDocument, read through the one safe XML reader.
import type { Element } from '@xmldom/xmldom';
import { decodeXml, parseXml, XmlRejected } from '../../infra/text/xml';
import { EBD_TYPES, type EbdType, ResultCode } from './codes';
import { quote, refuse } from './ebd-rejected';
import { formatEbdTime } from './ebd-time';
import { ANY_EBRID_PATTERN, EBDID_PATTERN } from './ids';
import { child, localName, optionalText, requiredText, requiredTime } from './xml-reader';
import { optional, xmlDocument, type XmlContent } from './xml-writer';

export interface EbdHeader {
  ebdId: string;
  type: EbdType;
  srcEbrid: string;
  /** Where the sender receives packages (SRC/URL). */
  srcUrl?: string;
  destEbrid?: string;
  time: Date;
  /** The package this one answers (RelatedEBD/EBDID). */
  relatedEbdId?: string;
}

/** The EBDB file of a package: its bytes are what the signature covers. */
export function writeEbd(header: EbdHeader, detail: XmlContent): Buffer {
  return xmlDocument([
    'EBD',
    [
      ['EBDVersion', '1'],
      ['EBDID', header.ebdId],
      ['EBDType', header.type],
      ['SRC', [['EBRID', header.srcEbrid], optional('URL', header.srcUrl)]],
      header.destEbrid ? ['DEST', [['EBRID', header.destEbrid]]] : null,
      ['EBDTime', formatEbdTime(header.time)],
      header.relatedEbdId ? ['RelatedEBD', [['EBDID', header.relatedEbdId]]] : null,
      [header.type, detail],
    ],
  ]);
}

/** Reads what the envelope says first, so even a package refused later is answered about the right EBDID. */
export function readEbd(bytes: Buffer, maxBytes: number): { header: EbdHeader; detail: Element } {
  let root: Element;
  try {
    root = parseXml(decodeXml(bytes, maxBytes));
  } catch (error) {
    if (error instanceof XmlRejected) return refuse(ResultCode.ParseFailure, `EBDB: ${error.message}`);
    throw error;
  }
  if (localName(root) !== 'EBD')
    refuse(ResultCode.ParseFailure, `EBDB's root element is <${localName(root)}>, not <EBD>`);
  const ebdId = requiredText(root, 'EBDID');
  if (!EBDID_PATTERN.test(ebdId)) refuse(ResultCode.ContentMissing, `EBD/EBDID is not a package ID: ${quote(ebdId)}`);
  const type = requiredText(root, 'EBDType');
  if (!(EBD_TYPES as readonly string[]).includes(type))
    refuse(ResultCode.ContentMissing, `EBD/EBDType ${quote(type)} is no package type`);
  const srcEbrid = requiredText(root, 'SRC/EBRID');
  if (!ANY_EBRID_PATTERN.test(srcEbrid))
    refuse(ResultCode.ContentMissing, `EBD/SRC/EBRID is not a resource code: ${quote(srcEbrid)}`);
  const destEbrid = optionalText(root, 'DEST/EBRID');
  if (destEbrid !== undefined && !ANY_EBRID_PATTERN.test(destEbrid))
    refuse(ResultCode.ContentMissing, `EBD/DEST/EBRID is not a resource code: ${quote(destEbrid)}`);
  const detail = child(root, type) ?? refuse(ResultCode.ContentMissing, `EBD has no <${type}> element for its EBDType`);
  return {
    header: {
      ebdId,
      type: type as EbdType,
      srcEbrid,
      srcUrl: optionalText(root, 'SRC/URL'),
      destEbrid,
      time: requiredTime(root, 'EBDTime'),
      relatedEbdId: optionalText(root, 'RelatedEBD/EBDID'),
    },
    detail,
  };
}
