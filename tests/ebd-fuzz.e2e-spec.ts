import { connectionCheck, ebmStateRequest, omdRequest } from '../src/ebd/domain/details';
import type { SealedPackage } from '../src/ebd/domain/seal';
import { unpackTar } from '../src/ebd/domain/tar';
import { PrismaService } from '../src/infra/database/prisma.service';
import type { UpperPlatform } from '../src/sim/upper/upper-platform';
import type { TestApp } from './helpers/app';
import { SONGTAO_PLATFORM } from './helpers/ebd';
import { ebmFor, nextEbmId, resealed, startDockedApp } from './helpers/ebd-packages';
import { DAXING, PANSHI } from './helpers/factories';

// Fixed, so a failure is the same failure on the next run.
const SEED = 0x18eb_d00d;
const ROUNDS = 240;

/** mulberry32: a small seeded PRNG. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (below: number) => Math.floor(next() * below);
  return { int, pick: <T>(items: readonly T[]): T => items[int(items.length)] };
}

const JUNK = [
  '',
  ' ',
  '无',
  'x',
  '-1',
  '99999999999',
  '<',
  '&amp;',
  ']]>',
  '\u0000',
  '暴雨',
  '2026-13-45 25:61:61',
  '\u202e',
];
const PART_NAMES = ['file', 'upfile', 'FILE', 'data', '文件', ''];

describe('random mutations of valid packages', () => {
  let t: TestApp;
  let upper: UpperPlatform;
  let upperKey: string;

  beforeAll(async () => {
    // Hundreds of packages a minute from one address, far more than an upper platform sends.
    ({ t, upper, upperKey } = await startDockedApp({ EBD_PACKAGES_PER_ADDRESS_PER_MINUTE: '100000' }));
  });
  afterAll(async () => {
    await t?.close();
    await upper?.close();
  });

  it('are each answered with a readable EBDResponse, the app stays healthy, and only valid EBMs become alerts', async () => {
    const random = prng(SEED);
    const valid = () =>
      random.pick([
        () => upper.seal(SONGTAO_PLATFORM, 'EBM', ebmFor(upper.ebrid, [random.pick([DAXING, PANSHI])])),
        () =>
          upper.seal(
            SONGTAO_PLATFORM,
            'EBM',
            ebmFor(upper.ebrid, [DAXING], { msgType: 2, relatedEbmId: nextEbmId(upper.ebrid) }),
          ),
        () => upper.seal(SONGTAO_PLATFORM, 'ConnectionCheck', connectionCheck(new Date())),
        () => upper.seal(SONGTAO_PLATFORM, 'EBMStateRequest', ebmStateRequest(nextEbmId(upper.ebrid))),
        () => upper.seal(SONGTAO_PLATFORM, 'OMDRequest', omdRequest('EBRDTState')),
      ])();

    /** The EBDB's XML with one element deleted, doubled, or its text replaced (then signed again, so it gets past the signature). */
    const mutateXml = (xml: string): string => {
      const elements = [...xml.matchAll(/<([A-Za-z]+)>([^<]*)<\/\1>/g)];
      const target = random.pick(elements);
      const [whole, name] = target;
      const at = target.index;
      switch (random.int(4)) {
        case 0:
          return xml.slice(0, at) + xml.slice(at + whole.length);
        case 1:
          return xml.slice(0, at) + whole + whole + xml.slice(at + whole.length);
        case 2:
          return `${xml.slice(0, at)}<${name}>${random.pick(JUNK)}</${name}>${xml.slice(at + whole.length)}`;
        default: {
          const cut = random.int(xml.length);
          return xml.slice(0, cut) + random.pick(JUNK) + xml.slice(cut);
        }
      }
    };

    const mutate = async (sealed: SealedPackage): Promise<{ body: Buffer; xml?: string }> => {
      const kind = random.int(3);
      if (kind === 0) {
        const body = Buffer.from(sealed.tar);
        for (let flips = 1 + random.int(4); flips > 0; flips--) body[random.int(body.length)] ^= 1 << random.int(8);
        return { body };
      }
      if (kind === 1) return { body: sealed.tar.subarray(0, random.int(sealed.tar.length)) };
      const files = await unpackTar(sealed.tar);
      const xml = mutateXml(files.find((file) => file.name.startsWith('EBDB_'))!.data.toString('utf8'));
      return { body: (await resealed(sealed, upperKey, Buffer.from(xml, 'utf8'))).tar, xml };
    };

    const accepted: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const sealed = await valid();
      const { body, xml } = await mutate(sealed);
      const sent = await upper.post(`${t.url}/api/v1/ebd/exchange`, sealed, {
        body,
        partName: random.pick(PART_NAMES),
      });
      expect({ round, status: sent.status, problem: sent.problem }).toEqual({ round, status: 200, problem: undefined });
      expect([1, 2, 3, 4, 5]).toContain(sent.answer!.resultCode);
      // Refused for what is wrong with it, never for a failure of the county platform's own.
      expect(sent.answer!.resultDesc).not.toMatch(/failed to handle/);
      if (sent.answer!.resultCode === 1) accepted.push(xml ?? sealed.tar.toString('utf8'));
    }

    expect((await t.api.get('/health')).status).toBe(200);
    const prisma = t.app.get(PrismaService);
    const messages = await prisma.ebdMessage.findMany();
    // Every alert is one an accepted EBM made; every message recorded came in a package that was accepted.
    expect(await prisma.emergency.count()).toBe(messages.filter((message) => message.emergencyId).length);
    for (const message of messages) expect(accepted.some((text) => text.includes(message.ebmId))).toBe(true);
  }, 120_000);
});
