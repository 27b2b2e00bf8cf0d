import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ebdIdOfFileName, openPackage } from '../src/ebd/domain/received';
import { generateSm2KeyPair } from '../src/ebd/domain/sm2';
import type { SealedPackage } from '../src/ebd/domain/seal';
import { packTar, unpackTar } from '../src/ebd/domain/tar';
import { optionalText } from '../src/ebd/domain/xml-reader';
import { UpperPlatform } from '../src/sim/upper/upper-platform';
import { startApp, type TestApp } from './helpers/app';
import { dockCounty, SONGTAO_PLATFORM } from './helpers/ebd';
import {
  changes,
  ebmFor,
  mp3Tone,
  postRaw,
  resealed,
  sm3Hex,
  startDockedApp,
  startKeyedUpper,
} from './helpers/ebd-packages';
import { adminToken, DAXING, importSongtao } from './helpers/factories';
import { PrismaService } from '../src/infra/database/prisma.service';

// The package limit is the least the config allows, so a modest package is oversize.
const MAX_PACKAGE_BYTES = 64 * 1024;

describe('bad packages from the upper platform get the right ResultCode and change nothing', () => {
  let t: TestApp;
  let upper: UpperPlatform;
  let upperKey: string;
  let exchangeUrl: string;
  let before: Awaited<ReturnType<typeof changes>>;

  beforeAll(async () => {
    ({ upper, privateKey: upperKey } = await startKeyedUpper());
    t = await startApp({ EBD_MAX_PACKAGE_BYTES: String(MAX_PACKAGE_BYTES) });
    exchangeUrl = `${t.url}/api/v1/ebd/exchange`;
    const admin = await adminToken(t);
    await importSongtao(t, admin);
    await dockCounty(t, admin, upper);
    before = await changes(t);
  });
  afterAll(async () => {
    await t?.close();
    await upper?.close();
  });
  // Whatever was wrong, nothing but the package log changed.
  afterEach(async () => expect(await changes(t)).toEqual(before));

  const sealEbm = (overrides = {}, areaCodes = [DAXING], resources?: Array<{ name: string; data: Buffer }>) =>
    upper.seal(SONGTAO_PLATFORM, 'EBM', ebmFor(upper.ebrid, areaCodes, overrides), resources ? { resources } : {});

  /** Posts a package and checks the answer is a signed EBDResponse about it; returns its ResultCode and text. */
  async function answerTo(sealed: SealedPackage, options: { body?: Buffer; partName?: string } = {}) {
    const sent = await upper.post(exchangeUrl, sealed, options);
    expect(sent.problem).toBeUndefined();
    expect(sent.status).toBe(200);
    expect(sent.answer!.verified).toBe(true);
    return sent.answer!;
  }

  const ebdbOf = async (sealed: SealedPackage) =>
    unpackTar(sealed.tar).then((files) => files.find((file) => file.name.startsWith('EBDB_'))!.data.toString('utf8'));
  const withEbdb = async (sealed: SealedPackage, edit: (xml: string) => string) =>
    resealed(sealed, upperKey, Buffer.from(edit(await ebdbOf(sealed)), 'utf8'));

  it('not a tar: 2, answered about the EBDID its file name carries', async () => {
    const sealed = await sealEbm();
    const sent = await upper.post(exchangeUrl, sealed, { body: Buffer.from('this is no tar archive at all') });
    expect(sent.answer).toMatchObject({ resultCode: 2, verified: true });
    expect(sent.answer!.resultDesc).toMatch(/not a tar/);
    const raw = await postRaw(t, Buffer.from('neither is this'), 'application/octet-stream');
    expect(raw).toMatchObject({ status: 200, resultCode: 2, contentType: 'application/x-tar' });
    expect(raw.disposition).toBe(`attachment;filename="EBDT_${raw.answer.header.ebdId}.tar"`);
  });

  it('a tar without EBDB: 2', async () => {
    const sealed = await sealEbm();
    const tar = await packTar([{ name: 'EBDR_readme.txt', data: Buffer.from('no EBDB here') }]);
    expect(await answerTo(sealed, { body: tar })).toMatchObject({ resultCode: 2 });
  });

  it('a request with no .tar part at all: 2', async () => {
    const form = new FormData();
    form.append('comment', 'just a comment');
    const response = await fetch(exchangeUrl, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    const answer = await openPackage(Buffer.from(await response.arrayBuffer()), 1 << 20);
    expect(optionalText(answer.detail, 'ResultCode')).toBe('2');
    // No county can be named for it: the answer goes unsigned.
    expect(answer.signature).toBeUndefined();
  });

  it('malformed XML: 2', async () => {
    const sealed = await withEbdb(await sealEbm(), (xml) => xml.replace('</EBD>', '</EB'));
    expect(await answerTo(sealed)).toMatchObject({ resultCode: 2 });
  });

  describe('a DTD or entities', () => {
    let fetched = 0;
    let server: Server;
    beforeAll(async () => {
      server = createServer((request, response) => {
        fetched++;
        response.end('<x>resolved</x>');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('are refused (2) and never resolved', async () => {
      const { port } = server.address() as AddressInfo;
      const external = await withEbdb(await sealEbm(), (xml) =>
        xml
          .replace('?>', `?><!DOCTYPE EBD [<!ENTITY alarm SYSTEM "http://127.0.0.1:${port}/entity">]>`)
          .replace('<MsgTitle>', '<MsgTitle>&alarm;'),
      );
      expect(await answerTo(external)).toMatchObject({ resultCode: 2 });
      const internal = await withEbdb(await sealEbm(), (xml) =>
        xml.replace('?>', '?><!DOCTYPE EBD [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'),
      );
      expect(await answerTo(internal)).toMatchObject({ resultCode: 2 });
      expect(fetched).toBe(0);
    });
  });

  it('a signature that does not verify: 4 (the EBDB changed after signing, or another key signed it)', async () => {
    const sealed = await sealEbm();
    const tampered = await packTar(
      (await unpackTar(sealed.tar)).map((file) =>
        file.name.startsWith('EBDB_')
          ? { ...file, data: Buffer.from(file.data.toString('utf8').replace('暴雨', '大雪'), 'utf8') }
          : file,
      ),
    );
    expect(await answerTo(sealed, { body: tampered })).toMatchObject({ resultCode: 4 });
    const otherKey = generateSm2KeyPair().privateKey;
    const forged = await resealed(sealed, otherKey, Buffer.from(await ebdbOf(sealed), 'utf8'));
    expect(await answerTo(forged)).toMatchObject({ resultCode: 4 });
    const unsigned = await packTar((await unpackTar(sealed.tar)).filter((file) => !file.name.startsWith('EBDS_')));
    expect(await answerTo(sealed, { body: unsigned })).toMatchObject({ resultCode: 4 });
  });

  it('an unknown sender EBRID: 5', async () => {
    const stranger = await UpperPlatform.start({ ebrid: '35207000000000101010101' });
    try {
      const sealed = await stranger.seal(SONGTAO_PLATFORM, 'EBM', ebmFor(stranger.ebrid, [DAXING]));
      const sent = await stranger.post(exchangeUrl, sealed);
      expect(sent.answer!.resultCode).toBe(5);
      expect(sent.answer!.resultDesc).toMatch(/unknown sender 35207000000000101010101/);
    } finally {
      await stranger.close();
    }
  });

  it('missing MsgContent: 3', async () => {
    const sealed = await withEbdb(await sealEbm(), (xml) => xml.replace(/<MsgContent>[\s\S]*<\/MsgContent>/, ''));
    expect(await answerTo(sealed)).toMatchObject({ resultCode: 3 });
  });

  it('placeholder text in numeric fields: 3', async () => {
    const severity = await withEbdb(await sealEbm(), (xml) =>
      xml.replace(/<Severity>\d<\/Severity>/, '<Severity>无</Severity>'),
    );
    const severityAnswer = await answerTo(severity);
    expect(severityAnswer.resultCode).toBe(3);
    expect(severityAnswer.resultDesc).toMatch(/Severity is not a number: "无"/);
    const msgType = await withEbdb(await sealEbm(), (xml) =>
      xml.replace(/<MsgType>\d<\/MsgType>/, '<MsgType>x</MsgType>'),
    );
    expect(await answerTo(msgType)).toMatchObject({ resultCode: 3 });
  });

  it('audio whose Digest or Size does not match: 3', async () => {
    const audio = mp3Tone(1);
    const wrongDigest = await sealEbm(
      { audio: { name: 'EBDR_alert.mp3', size: audio.length, digest: sm3Hex(Buffer.from('other audio')) } },
      [DAXING],
      [{ name: 'EBDR_alert.mp3', data: audio }],
    );
    expect((await answerTo(wrongDigest)).resultDesc).toMatch(/does not match its Auxiliary\/Digest/);
    const wrongSize = await sealEbm(
      { audio: { name: 'EBDR_alert.mp3', size: audio.length + 1, digest: sm3Hex(audio) } },
      [DAXING],
      [{ name: 'EBDR_alert.mp3', data: audio }],
    );
    const answer = await answerTo(wrongSize);
    expect(answer.resultCode).toBe(3);
    expect(answer.resultDesc).toMatch(/not the \d+ its Auxiliary\/Size says/);
    const missing = await sealEbm({ audio: { name: 'EBDR_alert.mp3', size: audio.length } });
    expect(await answerTo(missing)).toMatchObject({ resultCode: 3 });
  });

  it('an oversize package: 5, as multipart or as a raw body', async () => {
    const big = Buffer.alloc(MAX_PACKAGE_BYTES + 1024, 1);
    const sealed = await sealEbm({}, [DAXING], [{ name: 'EBDR_big.bin', data: big }]);
    const answer = await answerTo(sealed);
    expect(answer.resultCode).toBe(5);
    expect(answer.resultDesc).toMatch(/EBD_MAX_PACKAGE_BYTES/);
    expect(await postRaw(t, sealed.tar)).toMatchObject({ status: 200, resultCode: 5 });
  });

  it('AreaCodes outside the county (or no region of it): 3', async () => {
    const elsewhere = await sealEbm({}, ['520627000000', '520603001000']);
    const answer = await answerTo(elsewhere);
    expect(answer.resultCode).toBe(3);
    expect(answer.resultDesc).toMatch(/none of the EBM's areas/);
    expect(await answerTo(await sealEbm({}, ['520628999000']))).toMatchObject({ resultCode: 3 });
  });

  it('an EBM whose EndTime has passed: 3', async () => {
    const now = Date.now();
    const ended = await sealEbm({ startTime: new Date(now - 7200_000), endTime: new Date(now - 3600_000) });
    expect(await answerTo(ended)).toMatchObject({ resultCode: 3 });
  });

  it('logs every package it answered, with the code it answered', async () => {
    const prisma = t.app.get(PrismaService);
    const sealed = await sealEbm({}, ['520627000000']);
    await answerTo(sealed);
    const logged = await prisma.ebdPackage.findFirst({
      where: { direction: 'inbound', ebdId: ebdIdOfFileName(sealed.fileName)! },
    });
    expect(logged).toMatchObject({
      status: 'answered',
      resultCode: 3,
      type: 'EBM',
      peerEbrid: upper.ebrid,
      countyCode: '520628000000',
    });
  });
});

describe('the exchange route anyone may call is limited per address', () => {
  let t: TestApp;
  let upper: UpperPlatform;

  beforeAll(async () => ({ t, upper } = await startDockedApp({ EBD_PACKAGES_PER_ADDRESS_PER_MINUTE: '3' })));
  afterAll(async () => {
    await t?.close();
    await upper?.close();
  });

  it('answers 5 to packages past the limit without reading them, and nothing changes', async () => {
    const before = await changes(t);
    const url = `${t.url}/api/v1/ebd/exchange`;
    const sealed = () => upper.seal(SONGTAO_PLATFORM, 'EBM', ebmFor(upper.ebrid, [DAXING], { title: '限流测试' }));
    const answers = [];
    for (let sent = 0; sent < 4; sent++) answers.push((await upper.post(url, await sealed())).answer!);
    expect(answers.slice(0, 3).map((answer) => answer.resultCode)).toEqual([1, 1, 1]);
    expect(answers[3]).toMatchObject({ resultCode: 5, resultDesc: expect.stringMatching(/too many packages/) });
    const after = await changes(t);
    // Three alerts from the three taken; none from the one refused.
    expect(after.emergencies).toBe(before.emergencies + 3);
  });
});
