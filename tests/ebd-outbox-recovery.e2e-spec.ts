import { clearQueuePrefix, startApp, type TestApp } from './helpers/app';
import { sql } from './helpers/databases';
import { dockCounty, TONGREN_PLATFORM } from './helpers/ebd';
import { adminToken, importSongtao, SONGTAO } from './helpers/factories';
import { waitFor } from './helpers/processes';
import { generateSm2KeyPair } from '../src/ebd/domain/sm2';
import { EbdLinksRepository } from '../src/ebd/ebd-links.repository';
import { EbdReports } from '../src/ebd/ebd-reports.service';
import { UpperPlatform } from '../src/sim/upper/upper-platform';

// Packages going up survive what goes wrong: the upper platform away for a
// while, and this server stopped with packages waiting and Redis emptied.
// Postgres is the truth: each package keeps its EBDID through every retry and
// reaches the upper platform once.

const requestId = (n: number) => `10${TONGREN_PLATFORM}${String(n).padStart(16, '0')}`;

interface PackageRow {
  ebd_id: string;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
}

const answering = (t: TestApp, related: string) =>
  sql<PackageRow>(
    t.database,
    `SELECT ebd_id, status, attempts, next_attempt_at, last_error FROM ebd_package WHERE related_ebd_id = $1`,
    [related],
  ).then(([row]) => row);

/** An upper platform that can go away and come back on the same address with the same key. */
async function upperPlatform() {
  const { privateKey } = generateSm2KeyPair();
  let platform = await UpperPlatform.start({ ebrid: TONGREN_PLATFORM, privateKey });
  const port = Number(new URL(platform.url).port);
  return {
    get now() {
      return platform;
    },
    async restart(countyPublicKey: string) {
      platform = await UpperPlatform.start({ ebrid: TONGREN_PLATFORM, privateKey, port });
      platform.countyPublicKey = countyPublicKey;
      return platform;
    },
  };
}

async function docked(upper: UpperPlatform) {
  const t = await startApp();
  const admin = await adminToken(t);
  await importSongtao(t, admin);
  const { publicKey } = await dockCounty(t, admin, upper);
  // Up once the county has had the upper platform's answer to a heartbeat.
  await waitFor('the link up', async () =>
    (await t.api.get('/health')).body.ebdLinks[0]?.status === 'up' ? true : undefined,
  );
  return { t, publicKey: publicKey! };
}

const answerOmd = async (t: TestApp, type: 'EBRPSInfo' | 'EBRPSState' | 'EBRDTInfo', related: string) =>
  t.app.get(EbdReports).answerOmd((await t.app.get(EbdLinksRepository).find(SONGTAO))!, { type }, related);

const dataPackages = (upper: UpperPlatform) =>
  upper.received.filter((report) => report.package.header.type !== 'ConnectionCheck');

describe('the EBD outbox', () => {
  it('keeps a package pending, retrying further apart, while the upper platform is down, and delivers it with the same EBDID when it is back', async () => {
    const upper = await upperPlatform();
    const { t, publicKey } = await docked(upper.now);
    let back: UpperPlatform | undefined;
    try {
      await upper.now.close();
      await answerOmd(t, 'EBRPSInfo', requestId(1));
      const first = await waitFor('the first failed attempt', async () => {
        const row = await answering(t, requestId(1));
        return row?.attempts === 1 ? row : undefined;
      });
      const second = await waitFor('the second failed attempt', async () => {
        const row = await answering(t, requestId(1));
        return row?.attempts === 2 ? row : undefined;
      });
      for (const row of [first, second]) {
        expect(row.status).toBe('pending');
        expect(row.last_error).toMatch(/fetch failed|ECONNREFUSED/);
      }
      // 5 s after the first failure, 10 s after the second.
      expect(second.next_attempt_at.getTime() - first.next_attempt_at.getTime()).toBeGreaterThanOrEqual(10_000);
      expect(second.ebd_id).toBe(first.ebd_id);

      // The link shows down in /health, and the server is healthy all the same.
      const health = await t.api.get('/health');
      expect(health.status).toBe(200);
      expect(health.body.ebdLinks).toEqual([{ countyCode: SONGTAO, status: 'down', linkUpAt: expect.any(String) }]);

      back = await upper.restart(publicKey);
      const delivered = await back.waitFor((report) => report.package.header.ebdId === first.ebd_id, 60_000);
      expect(delivered.verified).toBe(true);
      expect(delivered.package.header.relatedEbdId).toBe(requestId(1));
      await waitFor('the package marked sent', async () =>
        (await answering(t, requestId(1))).status === 'sent' ? true : undefined,
      );
      expect(back.received.filter((report) => report.package.header.ebdId === first.ebd_id)).toHaveLength(1);
    } finally {
      await t.close();
      await back?.close();
    }
  }, 120_000);

  it('delivers every pending package once after a restart that found Redis emptied', async () => {
    const upper = await upperPlatform();
    const docking = await docked(upper.now);
    let t = docking.t;
    let back: UpperPlatform | undefined;
    try {
      await upper.now.close();
      const related = [11, 12, 13].map(requestId);
      await answerOmd(t, 'EBRPSInfo', related[0]);
      await answerOmd(t, 'EBRPSState', related[1]);
      await answerOmd(t, 'EBRDTInfo', related[2]);
      // Each was tried (its job ran) and failed.
      const pending = await waitFor('a failed attempt at each', async () => {
        const rows = await Promise.all(related.map((id) => answering(t, id)));
        return rows.every((row) => row?.attempts >= 1) ? rows : undefined;
      });

      await t.close({ keep: true });
      await clearQueuePrefix(t.config.queuePrefix);
      for (const row of await Promise.all(related.map((id) => answering(t, id)))) expect(row.status).toBe('pending');

      back = await upper.restart(docking.publicKey);
      t = await startApp(t.env, { database: t.database });
      for (const row of pending) await back.waitFor((report) => report.package.header.ebdId === row.ebd_id, 60_000);
      await waitFor('every package marked sent', async () => {
        const rows = await Promise.all(related.map((id) => answering(t, id)));
        return rows.every((row) => row.status === 'sent') ? true : undefined;
      });
      // Long enough for the outbox sweep (every 2 s) to have sent anything again, had it been going to.
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      const ebdIds = dataPackages(back).map((report) => report.package.header.ebdId);
      expect(ebdIds.length).toBeGreaterThanOrEqual(3);
      expect(new Set(ebdIds).size).toBe(ebdIds.length);
      for (const report of dataPackages(back)) expect(report.verified).toBe(true);
    } finally {
      await t.close();
      await back?.close();
    }
  }, 120_000);
});
