import type { Browser } from 'playwright-core';
import { startApp, type TestApp } from './helpers/app';
import { launchBrowser, openContext, PHONE, screenshot, signIn, expectFitsTheScreen } from './helpers/browser';
import { adminToken, DAXING, DAXING_VILLAGE, deliverOrder, importSongtao, person, SONGTAO } from './helpers/factories';
import { countyDate } from '../src/kernel/county-time';

const VILLAGE_NAME = '白岩社区居民委员会';

/**
 * Villagers in the console, on phones: the township operator prints the
 * village's QR poster, a villager scans it and orders a lecture with no
 * account, and after the lecture rates it through the one-time link the
 * lecturer shows.
 */
describe('web console: villagers from the village poster', () => {
  let t: TestApp;
  let browser: Browser;
  let operator: { id: string; token: string };
  let lecturer: { id: string; token: string };
  let teamId: string;
  let posterUrl: string;

  const api = (method: string, path: string, token: string, body?: unknown) =>
    t.api.request<any>(method, path, body, { token });

  beforeAll(async () => {
    t = await startApp();
    const admin = await adminToken(t);
    await importSongtao(t, admin);
    operator = await person(t, admin, 'daxing-operator', 'operator', DAXING);
    lecturer = await person(t, admin, 'daxing-lecturer', 'lecturer', DAXING);
    const topic = await api('POST', '/api/v1/topics', admin, {
      countyCode: SONGTAO,
      title: '移风易俗',
      category: 'customs',
    });
    await api('PUT', `/api/v1/themes/${countyDate(new Date()).slice(0, 7)}`, admin, {
      countyCode: SONGTAO,
      title: '文明新风进万家',
      topicId: topic.body.id,
    });
    teamId = (
      await api('POST', '/api/v1/teams', operator.token, {
        name: '大兴宣讲队',
        regionCode: DAXING,
        members: [{ userId: lecturer.id }],
      })
    ).body.id;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it('prints the village’s poster with the QR code of its page, and nothing of the console', async () => {
    const context = await openContext(browser, t, PHONE);
    const page = await context.newPage();
    await signIn(page, 'daxing-operator', 'daxing-operator-password');
    await page.goto('/posters');
    await page.getByLabel('村', { exact: true }).click();
    await page
      .locator('.ant-select-tree-treenode', { hasText: '大兴街道' })
      .locator('.ant-select-tree-switcher')
      .click();
    await page.locator('.ant-select-tree-title', { hasText: VILLAGE_NAME }).click();
    await page.getByRole('button', { name: '生成二维码' }).click();

    const code = (await api('GET', `/api/v1/regions/${DAXING_VILLAGE}/poster`, operator.token)).body.code;
    posterUrl = `${t.url}/v/village/${code}`;
    const qr = page.getByRole('img', { name: `二维码：${posterUrl}` });
    await qr.waitFor();
    expect(await qr.count()).toBe(1);
    await page.getByRole('heading', { name: VILLAGE_NAME }).waitFor();
    await page.getByText('扫码点单 · 听回放 · 报名志愿者').waitFor();
    await expectFitsTheScreen(page);

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.ant-layout-header').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: '打印海报' }).isVisible()).toBe(false);
    expect(await qr.isVisible()).toBe(true);
    await screenshot(page, 'village-poster');
    await context.close();
  }, 120_000);

  it('lets a villager order from the QR page and rate the lecture once through its link', async () => {
    const context = await openContext(browser, t, PHONE);
    const page = await context.newPage();
    await page.goto(posterUrl);
    await page.getByRole('heading', { name: VILLAGE_NAME }).waitFor();
    await page.getByText('文明新风进万家').waitFor();
    await expectFitsTheScreen(page);

    // A wrong number is told before anything is sent.
    await page.getByRole('radio', { name: '移风易俗' }).check();
    await page.getByLabel('想听什么（可不填）').fill('<b>红白事</b>简办');
    await page.getByLabel('联系电话（可不填）').fill('12345');
    await page.getByRole('button', { name: '提交点单' }).click();
    await page.getByText('请填写 11 位手机号码').waitFor();
    await page.getByLabel('联系电话（可不填）').fill('13812345678');
    await page.getByRole('button', { name: '提交点单' }).click();
    await page.getByText('点单成功').waitFor();
    await page.getByText(/138\*\*\*\*5678/).waitFor();
    expect(await page.getByText('13812345678').count()).toBe(0);
    await page.getByRole('link', { name: '报名当志愿者' }).waitFor();
    await screenshot(page, 'village-page-phone');
    await expectFitsTheScreen(page);

    // The lecture team delivers it; the lecturer shows the rating link.
    const [order] = (await api('GET', `/api/v1/orders?region=${DAXING_VILLAGE}`, operator.token)).body.items;
    expect(order).toMatchObject({ source: 'villager', notes: '<b>红白事</b>简办', contactPhone: '138****5678' });
    await deliverOrder(t, order, teamId, operator.token, lecturer);
    const link = (await api('GET', `/api/v1/orders/${order.id}/rating-link`, lecturer.token)).body;

    await page.goto(link.url);
    await page.getByText(`${VILLAGE_NAME} · 移风易俗`).waitFor();
    await expectFitsTheScreen(page);
    await page.getByText('基本满意').click();
    await page.getByLabel('想说的话（可不填）').fill('<i>讲得很实在</i>');
    await screenshot(page, 'villager-rating-phone');
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByText('谢谢您的评价！').waitFor();
    await page.reload();
    await page.getByText('这次宣讲已经评价过了').waitFor();
    await expectFitsTheScreen(page);

    expect((await api('GET', `/api/v1/orders/${order.id}`, operator.token)).body).toMatchObject({
      status: 'rated',
      rating: 'satisfied',
      contactPhone: null,
    });
    expect((await api('GET', '/api/v1/ledger/verify', operator.token)).body).toMatchObject({ ok: true });
    await context.close();
  }, 180_000);
});
