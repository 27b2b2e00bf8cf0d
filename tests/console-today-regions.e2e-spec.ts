import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN, startApp, type TestApp } from './helpers/app';
import { launchBrowser, openContext, PHONE, screenshot, seriousA11yViolations, signIn } from './helpers/browser';
import { importSongtaoInPage, treeItem } from './helpers/console-steps';
import { adminToken, createEndpoint, DAXING_VILLAGE, enroll, PANSHI, person, SONGTAO } from './helpers/factories';

const PANSHI_VILLAGE_NAME = '盘石社区居民委员会';

/** Opens a branch of the region tree by its switcher (the title selects). */
async function expandTreeItem(page: Page, name: string): Promise<void> {
  await treeItem(page, name).locator('.ant-tree-switcher').click();
}

/** How wide the page is laid out (wider than the screen: it scrolls sideways). */
async function layoutWidth(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth');
}

/**
 * The operator's first two pages: the county's divisions and loudspeakers
 * (import, add, hand out the installation code, see it come online, revoke),
 * and Today (tonight's readiness, yesterday's coverage, alerts on air).
 */
describe('web console: Today, and Regions and loudspeakers', () => {
  let t: TestApp;
  let browser: Browser;
  let admin: string;
  let operator: { context: BrowserContext; page: Page; token: string };
  let device: { endpointId: string; token: string };

  beforeAll(async () => {
    t = await startApp();
    admin = await adminToken(t);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await operator?.context.close();
    await browser?.close();
    await t.close();
  });

  it('lets an admin import a county from a CSV file through the page', async () => {
    const context = await openContext(browser, t);
    const page = await context.newPage();
    await signIn(page, ADMIN.username, ADMIN.password);
    await importSongtaoInPage(page);
    await context.close();
  });

  it('lets a county operator add a loudspeaker in a village, shows its code and QR code, and its coming online', async () => {
    const { token } = await person(t, admin, 'songtao-operator', 'operator', SONGTAO);
    const context = await openContext(browser, t);
    const page = await context.newPage();
    operator = { context, page, token };
    await signIn(page, 'songtao-operator', 'songtao-operator-password');
    await page.goto('/regions');

    await expandTreeItem(page, '松桃苗族自治县');
    await expandTreeItem(page, '盘石镇');
    await treeItem(page, PANSHI_VILLAGE_NAME).click();
    await page.getByText(`${PANSHI_VILLAGE_NAME} 的喇叭`).waitFor();
    await page.getByText('这里还没有喇叭').waitFor();

    await page.getByRole('button', { name: '添加喇叭' }).click();
    await page.getByLabel('名称').fill('广场喇叭');
    await page.getByRole('button', { name: /^添\s*加$/ }).click();
    const code = (await page.getByTestId('enrollment-code').innerText()).trim();
    expect(code.length).toBeGreaterThanOrEqual(4);
    await page.getByRole('img', { name: `安装码 ${code} 的二维码` }).waitFor();
    await screenshot(page, 'regions-enrollment-code');
    await page
      .getByRole('button', { name: /^关\s*闭$/ })
      .first()
      .click();

    const item = page.getByRole('listitem').filter({ hasText: '广场喇叭' });
    await item.getByText('待安装').waitFor();

    // The installer scans the code on site; the device enrolls and beats, and the page follows without a reload.
    device = await enroll(t, code, 'SN-PAGE-1');
    expect((await t.api.post('/api/v1/device/heartbeat', { volume: 80 }, { token: device.token })).status).toBe(200);
    await item.getByText('在线', { exact: true }).waitFor();
    await item.getByText(/最后心跳 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/).waitFor();
    await screenshot(page, 'regions');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it("shows tonight's readiness as the API counts it, per township and, opened, per village", async () => {
    // A second loudspeaker, installed but silent: offline.
    await enroll(t, (await createEndpoint(t, operator.token, DAXING_VILLAGE)).enrollmentCode, 'SN-API-1');
    const { page, token } = operator;
    const readiness = await t.api.get(`/api/v1/regions/${SONGTAO}/readiness`, { token });
    expect(readiness.status).toBe(200);
    const { total, byReason } = readiness.body;
    const expected = {
      在线: total - byReason.offline,
      已取节目单: total - byReason['playlist-not-fetched'] - byReason['playlist-outdated'],
      素材齐全: total - byReason['media-missing'],
      就绪: readiness.body.ready,
    };
    expect(total).toBe(2);
    expect(expected.在线).toBe(1);

    await page.getByRole('menuitem', { name: '今日' }).click();
    await page.getByRole('heading', { name: '今日 · 松桃苗族自治县' }).waitFor();
    for (const [title, n] of Object.entries(expected))
      await page
        .locator('.ant-statistic')
        .filter({ hasText: title })
        .filter({ hasText: `${n} / ${total}` })
        .waitFor();

    const township = page.getByRole('row').filter({ hasText: '盘石镇' });
    await township.getByText('1 / 1').first().waitFor();
    await township.getByRole('button', { name: '展开行' }).click();
    await page.getByText('盘石镇 各村').waitFor();
    await page.getByRole('row').filter({ hasText: PANSHI_VILLAGE_NAME }).getByText('1 / 1').first().waitFor();
    await page.getByText('当前没有正在播发的应急广播').waitFor();
    await page.getByText('昨日没有安排播出').waitFor();
    await screenshot(page, 'today');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('revokes a device through the page, after a confirmation, and its token stops working', async () => {
    const { page } = operator;
    await page.getByRole('menuitem', { name: '区域与喇叭' }).click();
    await expandTreeItem(page, '松桃苗族自治县');
    await expandTreeItem(page, '盘石镇');
    await treeItem(page, PANSHI_VILLAGE_NAME).click();
    const item = page.getByRole('listitem').filter({ hasText: '广场喇叭' });
    await item.getByRole('button', { name: /^吊\s*销$/ }).click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /^吊\s*销$/ })
      .click();
    await item.getByText('已吊销').waitFor();
    await page.getByText('在线 0 / 1').waitFor();
    expect((await t.api.post('/api/v1/device/heartbeat', { volume: 80 }, { token: device.token })).status).toBe(401);
  });

  it('shows a township operator only their township, on a phone, and the server refuses the rest', async () => {
    const { token } = await person(t, admin, 'panshi-operator', 'operator', PANSHI);
    const context = await openContext(browser, t, PHONE);
    const page = await context.newPage();
    await signIn(page, 'panshi-operator', 'panshi-operator-password');

    await page.goto('/regions');
    await treeItem(page, '盘石镇').waitFor();
    await page.getByText('盘石镇 的喇叭').waitFor();
    expect(await treeItem(page, '松桃苗族自治县').count()).toBe(0);
    expect(await treeItem(page, '大兴街道').count()).toBe(0);
    expect(await page.getByRole('button', { name: '导入县区划' }).count()).toBe(0);
    expect(await layoutWidth(page)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'regions-phone');

    await page.goto('/today');
    await page.getByRole('heading', { name: '今日 · 盘石镇' }).waitFor();
    await page.getByRole('row').filter({ hasText: PANSHI_VILLAGE_NAME }).waitFor();
    expect(await page.getByRole('combobox', { name: '区域' }).count()).toBe(0);
    expect(await layoutWidth(page)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'today-phone');

    // The page offers nothing outside; the server decides regardless.
    expect((await t.api.get(`/api/v1/regions/${SONGTAO}/readiness`, { token })).status).toBe(403);
    expect(
      (await t.api.post('/api/v1/endpoints', { regionCode: DAXING_VILLAGE, name: '越权' }, { token })).status,
    ).toBe(403);
    await context.close();
  });
});
