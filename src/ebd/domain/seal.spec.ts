import { ResultCode } from './codes';
import { ebm, ebdResponse } from './details';
import { EbdRejected } from './ebd-rejected';
import { auxiliaryAudio, readEbm } from './ebm';
import { dataEbdId } from './ids';
import { openPackage, verifyPackage } from './received';
import { sealPackage } from './seal';
import { generateSm2KeyPair, sm2Sign, sm2Verify } from './sm2';
import { createHash } from 'node:crypto';

const upper = '23400000000000101010101';
const county = '45223230000000101010101';

function signerOf(privateKey: string) {
  return { certSn: '000000003363', sign: (data: Buffer) => Promise.resolve(sm2Sign(data, privateKey)) };
}

describe('a sealed package', () => {
  const keys = generateSm2KeyPair();
  const header = {
    ebdId: dataEbdId(upper, 7n),
    type: 'EBM' as const,
    srcEbrid: upper,
    srcUrl: 'http://upper.example/ebd',
    destEbrid: county,
    time: new Date('2026-12-03T01:02:03Z'),
  };
  const audio = Buffer.from('ID3 not really an mp3');
  const message = ebm({
    ebmId: `${upper}202612030001`,
    msgType: 1,
    senderName: '省应急广播中心',
    senderCode: upper,
    sendTime: header.time,
    eventType: '11B03',
    severity: 2,
    startTime: header.time,
    endTime: new Date(header.time.getTime() + 3600_000),
    title: '暴雨橙色预警',
    description: '请注意防范 <强降雨> & 山洪',
    areaCodes: ['522323000000', '522323100000'],
    audio: { name: 'EBDR_alert.mp3', size: audio.length, digest: createHash('sm3').update(audio).digest('hex') },
  });

  it('opens, verifies with the sender key and reads back as sent', async () => {
    const sealed = await sealPackage(header, message, { signer: signerOf(keys.privateKey), layout: 'sm2_sm3' }, [
      { name: 'EBDR_alert.mp3', data: audio },
    ]);
    expect(sealed.fileName).toBe(`EBDT_${header.ebdId}.tar`);
    const received = await openPackage(sealed.tar, 1 << 20);
    expect(received.header).toMatchObject({
      ebdId: header.ebdId,
      type: 'EBM',
      srcEbrid: upper,
      destEbrid: county,
      time: header.time,
    });
    expect(() => verifyPackage(received, keys.publicKey)).not.toThrow();
    const read = readEbm(received.detail);
    expect(read).toMatchObject({
      msgType: 1,
      severity: 2,
      eventType: '11B03',
      content: {
        title: '暴雨橙色预警',
        description: '请注意防范 <强降雨> & 山洪',
        areaCodes: ['522323000000', '522323100000'],
      },
    });
    expect(auxiliaryAudio(read, received.resources)).toEqual({ name: 'EBDR_alert.mp3', data: audio });
  });

  it('fails verification with another key, and after one byte of the EBDB changes', async () => {
    const sealed = await sealPackage(header, ebdResponse(ResultCode.Success), {
      signer: signerOf(keys.privateKey),
      layout: 'cert_time',
    });
    const received = await openPackage(sealed.tar, 1 << 20);
    const other = generateSm2KeyPair();
    expect(() => verifyPackage(received, other.publicKey)).toThrow(EbdRejected);
    const tampered = { ...received, ebdb: Buffer.concat([received.ebdb, Buffer.from(' ')]) };
    expect(() => verifyPackage(tampered, keys.publicKey)).toThrow(/does not verify/);
  });

  it('verifies the signature example of GB/T 32918.5 (GM/T 0003.5)', () => {
    const publicKey =
      '0409f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13';
    const signature = Buffer.from(
      'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa',
      'hex',
    );
    expect(sm2Verify(Buffer.from('message digest'), signature, publicKey)).toBe(true);
    expect(sm2Verify(Buffer.from('message digesT'), signature, publicKey)).toBe(false);
  });
});
