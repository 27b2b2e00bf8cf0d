// The detached signature file EBDS_EBDB_<EBDID>.xml, in the two layouts of
// the field: GD/J 08x-2018's (CertSN, SignatureAlgorithm SM2-SM3) and the
// 2016–17 one (SignatureCert, SignatureTime, DigestAlgorithm SM3,
// SignatureAlgorithm SM2). Both are read; each county writes the one its
// upper platform expects.
//
// SignatureValue is Base64 of what the crypto cards of the field produce:
// a 4-byte counter (the signing time, Unix seconds), the certificate's 6-byte
// serial, then the 64-byte SM2 signature r‖s. A bare 64-byte r‖s and a DER
// SEQUENCE of r and s are accepted too.
import type { Element } from '@xmldom/xmldom';
import { decodeXml, parseXml, XmlRejected } from '../../infra/text/xml';
import { ResultCode } from './codes';
import { quote, refuse } from './ebd-rejected';
import { SM2_SIGNATURE_BYTES } from './sm2';
import { child, localName, optionalText } from './xml-reader';
import { xmlDocument, type XmlElement } from './xml-writer';

export type SignatureLayout = 'sm2_sm3' | 'cert_time';
const SIGNATURE_FILE_MAX_BYTES = 64 * 1024;
const CERT_SN_BYTES = 6;
export const CERT_SN_PATTERN = /^[0-9A-Fa-f]{1,32}$/;

export interface SignatureFile {
  /** The EBDID of the package the signature is for. */
  relatedEbdId: string;
  certSn?: string;
  signature: Buffer;
  layout: SignatureLayout;
}

export function writeSignatureFile(input: {
  layout: SignatureLayout;
  relatedEbdId: string;
  certSn: string;
  signedAt: Date;
  signature: Buffer;
}): Buffer {
  const seconds = Math.floor(input.signedAt.getTime() / 1000) >>> 0;
  const counter = Buffer.alloc(4);
  counter.writeUInt32BE(seconds);
  const value = Buffer.concat([counter, certSnBytes(input.certSn), input.signature]).toString('base64');
  const related: XmlElement = ['RelatedEBD', [['EBDID', input.relatedEbdId]]];
  return xmlDocument(
    input.layout === 'sm2_sm3'
      ? [
          'Signature',
          [
            ['Version', '1'],
            related,
            ['CertSN', input.certSn],
            ['SignatureAlgorithm', 'SM2-SM3'],
            ['SignatureValue', value],
          ],
        ]
      : [
          'Signature',
          [
            ['Version', '1.0'],
            related,
            [
              'SignatureCert',
              [
                ['CertType', '1'],
                ['CertSN', input.certSn],
              ],
            ],
            ['SignatureTime', counter.toString('hex')],
            ['DigestAlgorithm', 'SM3'],
            ['SignatureAlgorithm', 'SM2'],
            ['SignatureValue', value],
          ],
        ],
  );
}

/** The certificate serial as the signature value carries it: its last 6 bytes, zero-padded. */
function certSnBytes(certSn: string): Buffer {
  const hex = certSn.padStart(CERT_SN_BYTES * 2, '0').slice(-CERT_SN_BYTES * 2);
  return Buffer.from(hex, 'hex');
}

export function readSignatureFile(bytes: Buffer): SignatureFile {
  let root: Element;
  try {
    root = parseXml(decodeXml(bytes, SIGNATURE_FILE_MAX_BYTES));
  } catch (error) {
    if (error instanceof XmlRejected) return refuse(ResultCode.SignatureFailure, `EBDS: ${error.message}`);
    throw error;
  }
  if (localName(root) !== 'Signature')
    refuse(ResultCode.SignatureFailure, `EBDS's root element is <${localName(root)}>, not <Signature>`);
  const layout: SignatureLayout = child(root, 'SignatureCert') ? 'cert_time' : 'sm2_sm3';
  const algorithm = optionalText(root, 'SignatureAlgorithm') ?? '';
  const digest = optionalText(root, 'DigestAlgorithm');
  const sm2sm3 = /^SM2-?SM3$/i.test(algorithm) || (/^SM2$/i.test(algorithm) && (!digest || /^SM3$/i.test(digest)));
  if (!sm2sm3) refuse(ResultCode.SignatureFailure, `EBDS/SignatureAlgorithm ${quote(algorithm)} is not SM2 with SM3`);
  const relatedEbdId =
    optionalText(root, 'RelatedEBD/EBDID') ??
    refuse(ResultCode.SignatureFailure, 'EBDS names no package (RelatedEBD/EBDID)');
  const value =
    optionalText(root, 'SignatureValue') ?? refuse(ResultCode.SignatureFailure, 'EBDS has no SignatureValue');
  return {
    relatedEbdId,
    certSn: optionalText(root, layout === 'cert_time' ? 'SignatureCert/CertSN' : 'CertSN'),
    signature: signatureOfValue(value),
    layout,
  };
}

/** r‖s from a SignatureValue in any of the three forms seen. */
export function signatureOfValue(base64: string): Buffer {
  const compact = base64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) refuse(ResultCode.SignatureFailure, 'EBDS/SignatureValue is not Base64');
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.length === SM2_SIGNATURE_BYTES) return bytes;
  if (bytes.length === SM2_SIGNATURE_BYTES + 4 + CERT_SN_BYTES) return bytes.subarray(4 + CERT_SN_BYTES);
  return (
    derSignature(bytes) ??
    refuse(ResultCode.SignatureFailure, `EBDS/SignatureValue is ${bytes.length} bytes: not an SM2 signature`)
  );
}

/** SEQUENCE { INTEGER r, INTEGER s } to r‖s, or null if it is not one. */
function derSignature(bytes: Buffer): Buffer | null {
  if (bytes[0] !== 0x30 || bytes[1] !== bytes.length - 2) return null;
  const parts: Buffer[] = [];
  let offset = 2;
  for (let index = 0; index < 2; index++) {
    if (bytes[offset] !== 0x02) return null;
    const length = bytes[offset + 1];
    const integer = bytes.subarray(offset + 2, offset + 2 + length);
    if (integer.length !== length || length === 0 || length > 33) return null;
    const unsigned = integer[0] === 0 ? integer.subarray(1) : integer;
    if (unsigned.length > 32) return null;
    parts.push(Buffer.concat([Buffer.alloc(32 - unsigned.length), unsigned]));
    offset += 2 + length;
  }
  return offset === bytes.length ? Buffer.concat(parts) : null;
}
