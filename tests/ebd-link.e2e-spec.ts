import { startApp, type TestApp } from './helpers/app';
import { dockCounty, SONGTAO_PLATFORM, startUpper } from './helpers/ebd';
import { adminToken, importSongtao, SONGTAO, userToken } from './helpers/factories';
import type { UpperPlatform } from '../src/sim/upper/upper-platform';
import { localName } from '../src/ebd/domain/xml-reader';

describe('docking a county with its upper platform', () => {
  let t: TestApp;
  let upper: UpperPlatform;
  let admin: string;

  beforeAll(async () => {
    upper = await startUpper();
    t = await startApp();
    admin = await adminToken(t);
    await importSongtao(t, admin);
  });
  afterAll(async () => {
    await t?.close();
    await upper?.close();
  });

  it('refuses a public key off the curve and a region that is no county, and saves nothing', async () => {
    const badKey = await t.api.request<{ message: string }>(
      'PUT',
      `/api/v1/ebd/links/${SONGTAO}`,
      {
        upperEbrid: upper.ebrid,
        upperUrl: upper.url,
        receiveUrl: `${t.url}/api/v1/ebd/exchange`,
        upperPublicKey: `04${'1'.repeat(128)}`,
        signer: 'file:x',
        certSn: '01',
      },
      { token: admin },
    );
    expect(badKey.status).toBe(400);
    expect(badKey.body.message).toMatch(/upperPublicKey/);
    const list = await t.api.get('/api/v1/ebd/links', { token: admin });
    expect(list.body.items).toEqual([]);
  });

  it('sends signed heartbeats once docked, and the link shows up', async () => {
    const link = await dockCounty(t, admin, upper);
    expect(link).toMatchObject({ ebrid: SONGTAO_PLATFORM, autoAir: true, signerError: null });
    expect(link.publicKey).toMatch(/^04[0-9a-f]{128}$/);
    const heartbeat = await upper.waitFor((report) => report.package.header.type === 'ConnectionCheck');
    expect(heartbeat.verified).toBe(true);
    expect(heartbeat.package.header).toMatchObject({
      srcEbrid: SONGTAO_PLATFORM,
      destEbrid: upper.ebrid,
      srcUrl: `${t.url}/api/v1/ebd/exchange`,
    });
    expect(heartbeat.package.header.ebdId).toBe(`01${SONGTAO_PLATFORM}${'0'.repeat(16)}`);
    expect(localName(heartbeat.package.detail)).toBe('ConnectionCheck');
    const operator = await userToken(t, admin, 'operator', SONGTAO);
    let status = '';
    for (let attempt = 0; attempt < 50 && status !== 'up'; attempt++) {
      status = (await t.api.get(`/api/v1/ebd/links/${SONGTAO}`, { token: operator })).body.status;
      if (status !== 'up') await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status).toBe('up');
  });
});
