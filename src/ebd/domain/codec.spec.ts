import { sm2 } from 'sm-crypto-v2';
import { EbdRejected } from './ebd-rejected';
import { ebmDate, formatEbdTime, parseEbdTime } from './ebd-time';
import { readAreaCodes } from './ebm';
import { dataEbdId, EBDID_PATTERN, heartbeatEbdId, newEbmId, EBMID_PATTERN } from './ids';
import { readSignatureFile, signatureOfValue, writeSignatureFile } from './signature';
import { unpackTar } from './tar';

const codeOf = (read: () => unknown) => {
  try {
    read();
  } catch (error) {
    if (error instanceof EbdRejected) return error.resultCode;
    throw error;
  }
  return 1;
};
const asyncCodeOf = async (read: () => Promise<unknown>) =>
  read().then(
    () => 1,
    (error: unknown) => {
      if (error instanceof EbdRejected) return error.resultCode;
      throw error;
    },
  );

describe('times in Beijing time', () => {
  it('writes and reads yyyy-MM-dd HH:mm:ss at UTC+8, whatever the server zone', () => {
    const instant = new Date('2018-06-19T05:16:53Z');
    expect(formatEbdTime(instant)).toBe('2018-06-19 13:16:53');
    expect(parseEbdTime('2018-06-19 13:16:53')).toEqual(instant);
    expect(parseEbdTime('2018-06-19T13:16:53')).toEqual(instant);
    expect(ebmDate(new Date('2026-12-02T16:30:00Z'))).toBe('20261203');
  });

  it('refuses what names no instant: a date that does not exist, another format, placeholders', () => {
    for (const text of ['2026-02-30 10:00:00', '2026-12-03 24:00:00', '2026/12/03 10:00:00', '无', '', '1764730000'])
      expect(parseEbdTime(text)).toBeNull();
  });
});

describe('identifiers', () => {
  const county = '45206280000000101010101';
  it('makes 41-digit package IDs (01 heartbeat with zeros, 10 with the 16-digit sequence) and 35-digit message IDs', () => {
    expect(heartbeatEbdId(county)).toBe(`01${county}0000000000000000`);
    expect(dataEbdId(county, 7n)).toBe(`10${county}0000000000000007`);
    expect(dataEbdId(county, 10n ** 16n)).toBe(`10${county}0000000000000001`);
    expect(newEbmId(county, '20261203', 12)).toBe(`${county}202612030012`);
    expect(() => newEbmId(county, '20261203', 10_000)).toThrow(RangeError);
  });

  it('accepts the 2016–17 (18-digit EBRID) forms seen in the field as well', () => {
    expect(EBDID_PATTERN.test('010103331124000000010000000000000000')).toBe(true);
    expect(EBDID_PATTERN.test('10234000000000001010101010000000000000001')).toBe(true);
    expect(EBMID_PATTERN.test('23400000000000101010101201701010001')).toBe(true);
    // A malformed 33-digit EBMID from the Chongqing samples.
    expect(EBMID_PATTERN.test('450011600000001010101012019010021')).toBe(false);
  });
});

describe('signature values', () => {
  // Lishui, 2018-06-19 (2016–17 layout): 4-byte counter 5b2891c5, CertSN 000000003363, then r‖s.
  const LISHUI = 'WyiRxQAAAAAzY7fI8BXO0YR5cOGpwBTvPtswXCqpsAyXq0xT8Fkb6WPSA60OBniBtMT/HK/6/J9/4kMnebSJmYLTrqGOnjFIOwU=';

  it('reads the 74-byte value of the crypto cards: the signature is its last 64 bytes', () => {
    const bytes = Buffer.from(LISHUI, 'base64');
    expect(bytes.subarray(0, 4).toString('hex')).toBe('5b2891c5');
    expect(bytes.subarray(4, 10).toString('hex')).toBe('000000003363');
    expect(signatureOfValue(LISHUI)).toEqual(bytes.subarray(10));
  });

  it('reads a bare r‖s and a DER SEQUENCE alike, and refuses anything else with 4', () => {
    const rs = Buffer.from(`00${'11'.repeat(31)}${'ab'.repeat(32)}`, 'hex');
    expect(signatureOfValue(rs.toString('base64'))).toEqual(rs);
    const der = Buffer.from(sm2.doSignature('x', sm2.generateKeyPairHex().privateKey, { der: true }), 'hex');
    expect(signatureOfValue(der.toString('base64'))).toHaveLength(64);
    expect(codeOf(() => signatureOfValue('not base64!'))).toBe(4);
    expect(codeOf(() => signatureOfValue(Buffer.alloc(70, 1).toString('base64')))).toBe(4);
  });

  it('writes either layout, each read back to the same signature and package', () => {
    const signature = Buffer.alloc(64, 7);
    for (const layout of ['sm2_sm3', 'cert_time'] as const) {
      const file = writeSignatureFile({
        layout,
        relatedEbdId: '1'.repeat(41),
        certSn: '000000003363',
        signedAt: new Date(0),
        signature,
      });
      expect(file.subarray(0, 3).toString('hex')).not.toBe('efbbbf');
      expect(readSignatureFile(file)).toMatchObject({
        layout,
        relatedEbdId: '1'.repeat(41),
        certSn: '000000003363',
        signature,
      });
    }
  });

  it('refuses a signature file of another algorithm, or with a DTD, with 4', () => {
    const other = Buffer.from(
      '<Signature><RelatedEBD><EBDID>1</EBDID></RelatedEBD><SignatureAlgorithm>RSA-SHA256</SignatureAlgorithm><SignatureValue>AAAA</SignatureValue></Signature>',
    );
    expect(codeOf(() => readSignatureFile(other))).toBe(4);
    const dtd = Buffer.from('<!DOCTYPE x [<!ENTITY e SYSTEM "http://example.com/">]><Signature>&e;</Signature>');
    expect(codeOf(() => readSignatureFile(dtd))).toBe(4);
  });
});

describe('area codes and archives', () => {
  it('reads comma lists with full-width commas and pads 6- and 9-digit codes to 12', () => {
    expect(readAreaCodes('520628，520628101；520628101101 520628101101')).toEqual([
      '520628000000',
      '520628101000',
      '520628101101',
    ]);
    expect(codeOf(() => readAreaCodes('5206281011'))).toBe(3);
  });

  it('refuses bytes that are no tar archive with 2', async () => {
    expect(await asyncCodeOf(() => unpackTar(Buffer.from('PK\u0003\u0004 a zip, not a tar')))).toBe(2);
    expect(await asyncCodeOf(() => unpackTar(Buffer.alloc(1024)))).toBe(2);
  });
});
