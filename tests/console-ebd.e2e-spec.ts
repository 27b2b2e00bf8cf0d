import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { writeKeyFile } from '../src/ebd/domain/key-file';
import { generateSm2KeyPair } from '../src/ebd/domain/sm2';
import type { UpperPlatform } from '../src/sim/upper/upper-platform';
import { ADMIN, startApp, type TestApp } from './helpers/app';
import { expectFitsTheScreen, launchBrowser, openContext, PHONE, screenshot, signIn } from './helpers/browser';
import { sql } from './helpers/databases';
import { SONGTAO_PLATFORM, startUpper } from './helpers/ebd';
import { adminToken, createEndpoint, DAXING_VILLAGE, importSongtao, person, SONGTAO } from './helpers/factories';

/**
 * 应急广播对接 in the console: an admin docks the county with a real (simulated)
 * city platform through the form, watches the link come up and the heartbeat
 * in the log; an operator reads the same page and cannot change it.
 */

const KEY_NAME = `county-${SONGTAO}`;
const EBM_ID = '35206000000000101010101202612030001';

/** The form's field by its label (the drawer is the only dialog open). */
const field = (page: Page, label: string) => page.getByRole('dialog').getByLabel(label, { exact: true });

describe('web console: EBD docking', () => {
  let t: TestApp;
  let upper: UpperPlatform;
  let browser: Browser;
  let endpointEbrid: string;
  let alertId: string;

  beforeAll(async () => {
    upper = await startUpper();
    t = await startApp();
    const admin = await adminToken(t);
    await importSongtao(t, admin);
    const { token } = await person(t, admin, 'ebd-operator', 'operator', SONGTAO);
    const { id } = await createEndpoint(t, token, DAXING_VILLAGE, '白岩村委会');
    endpointEbrid = (await t.api.get(`/api/v1/endpoints/${id}`, { token })).body.ebrid;
    // A drill the upper platform sent, as the receiving side records it: the alert and the EBM it is.
    const drafted = await t.api.post(
      '/api/v1/emergencies',
      {
        title: '山洪灾害预警演练',
        level: 2,
        category: 'flood',
        regionCodes: [DAXING_VILLAGE],
        text: '请注意，这是山洪灾害预警演练。',
        expiresAt: new Date(Date.now() + 3600_000).toISOString(),
        drill: true,
      },
      { token },
    );
    alertId = drafted.body.id;
    await sql(
      t.database,
      `INSERT INTO ebd_message (id, county_code, ebm_id, direction, msg_type, emergency_id, reported_state)
       VALUES (gen_random_uuid(), $1, $2, 'inbound', 3, $3, 1)`,
      [SONGTAO, EBM_ID, alertId],
    );
    // What `npm run ebd:keygen -- county-520628000000` leaves on the server.
    mkdirSync(t.config.ebd.keyDir, { recursive: true });
    writeFileSync(join(t.config.ebd.keyDir, `${KEY_NAME}.key`), writeKeyFile(generateSm2KeyPair().privateKey), {
      mode: 0o600,
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await upper?.close();
  });

  it('an admin docks the county through the form; the link comes up and the heartbeat shows in the log', async () => {
    const desk = await openContext(browser, t);
    try {
      const page = await desk.newPage();
      await signIn(page, ADMIN.username, ADMIN.password);
      await page.goto('/ebd');
      await page.getByText('松桃苗族自治县尚未与上级平台对接').waitFor();
      await page.getByRole('button', { name: '配置对接' }).click();

      // Checked as typed, before anything is sent: a code one digit short, a key that is no key.
      await field(page, '上级平台资源编码').fill(upper.ebrid.slice(1));
      await field(page, '上级平台公钥').fill('04abc');
      await page
        .getByRole('dialog')
        .getByRole('button', { name: /保\s*存/ })
        .click();
      await page.getByText('资源编码应为 23 位数字，首位 1–6').waitFor();
      await page.getByText('公钥应为 04 开头的 130 位十六进制（或去掉 04 的 128 位）').waitFor();
      await page.getByText('请填写上级平台接收地址').waitFor();

      // A key of the right shape that is no point of the curve: only the server can tell, and says so.
      await field(page, '上级平台资源编码').fill(upper.ebrid);
      await field(page, '上级平台接收地址').fill(upper.url);
      await field(page, '上级平台公钥').fill(`04${'1'.repeat(128)}`);
      await field(page, '证书序列号').fill('000000003363');
      expect(await field(page, '签名密钥').inputValue()).toBe(`file:${KEY_NAME}`);
      await page.getByText('npm run ebd:keygen -- <名称>', { exact: false }).waitFor();
      await page
        .getByRole('dialog')
        .getByRole('button', { name: /保\s*存/ })
        .click();
      await page
        .getByRole('dialog')
        .getByRole('alert')
        .getByText(/upperPublicKey：must be a point of the SM2 curve/)
        .waitFor();
      expect((await t.api.get('/api/v1/ebd/links', { token: await adminToken(t) })).body.items).toEqual([]);

      await field(page, '上级平台公钥').fill(upper.publicKey);
      await expectFitsTheScreen(page);
      await page
        .getByRole('dialog')
        .getByRole('button', { name: /保\s*存/ })
        .click();
      await page.getByRole('dialog').waitFor({ state: 'hidden' });

      const status = page.getByRole('status').filter({ hasText: '已连接' });
      await status.getByText('上级最后应答').waitFor();
      await page.getByText(SONGTAO_PLATFORM).first().waitFor();
      await page.getByRole('button', { name: '修改对接' }).waitFor();
      await expectFitsTheScreen(page);
      await screenshot(page, 'ebd');

      await page.getByRole('tab', { name: '收发记录' }).click();
      await page.getByRole('radiogroup', { name: '收发方向' }).getByText('发送').click();
      const heartbeat = page.getByRole('listitem').filter({ hasText: 'ConnectionCheck' }).first();
      await heartbeat.getByText('结果：接收解析及数据校验成功').waitFor();
      await heartbeat.getByText('已发送').waitFor();
      await expectFitsTheScreen(page);
      await screenshot(page, 'ebd-packages');
    } finally {
      await desk.close();
    }
  });

  it("an operator's phone shows the link, its log and the EBMs but no way to change it; the alert and the loudspeaker show their codes", async () => {
    const phone = await openContext(browser, t, PHONE);
    try {
      const page = await phone.newPage();
      await signIn(page, 'ebd-operator', 'ebd-operator-password');
      await page.goto('/ebd');
      await page.getByRole('status').filter({ hasText: '已连接' }).waitFor();
      await page.getByText('本平台公钥（提供给上级平台）').waitFor();
      expect(await page.getByRole('button', { name: /修改对接|配置对接/ }).count()).toBe(0);
      await expectFitsTheScreen(page);
      await screenshot(page, 'ebd-phone');
      await page.getByRole('tab', { name: '收发记录' }).click();
      await page.getByRole('listitem').filter({ hasText: 'ConnectionCheck' }).first().waitFor();
      await expectFitsTheScreen(page);

      await page.getByRole('tab', { name: '应急广播消息' }).click();
      const message = page.getByRole('listitem').filter({ hasText: EBM_ID });
      await message.getByText('已上报：等待播发').waitFor();
      await message.getByText('演练', { exact: true }).waitFor();
      await expectFitsTheScreen(page);

      // The alert says where it came from, in the list and in its detail.
      await message.getByRole('link', { name: '山洪灾害预警演练' }).click();
      await page.getByText(EBM_ID).waitFor();
      await page.getByText('上级平台下发').waitFor();
      await page.goto('/emergencies');
      await page.getByRole('tab', { name: '全部' }).click();
      await page.getByRole('listitem').filter({ hasText: '山洪灾害预警演练' }).getByText('上级平台下发').waitFor();
      await expectFitsTheScreen(page);

      await page.goto('/regions');
      await page.getByText(`终端资源编码 ${endpointEbrid}`).waitFor();
      await expectFitsTheScreen(page);
    } finally {
      await phone.close();
    }
  });
});
