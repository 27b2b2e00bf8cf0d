import type { Browser, Page } from 'playwright-core';
import { VolunteerCodes } from '../src/auth/volunteer-codes';
import { startApp, type TestApp } from './helpers/app';
import {
  launchBrowser,
  openContext,
  PHONE,
  screenshot,
  seriousA11yViolations,
  signIn,
  expectFitsTheScreen,
} from './helpers/browser';
import { adminToken, DAXING, DAXING_VILLAGE, importSongtao, person, SONGTAO } from './helpers/factories';

const OPERATOR = 'county-desk';
/** A select's list closes with an animation; the page is judged (axe) once it has, as a person sees it. */
const closedDropdown = (page: Page) => page.locator('.ant-select-dropdown').waitFor({ state: 'hidden' });

/**
 * The operators' side of the four-order flow and of points (issue 16, points
 * 4 and 5): the order board with its countdowns and the dispatch drawer's
 * suggestions, the ledger with its verify status, and the redemption counter
 * scanning a volunteer's code. On a desk and on a 390 × 844 phone.
 */
describe('web console: orders, ledger and the redemption counter', () => {
  let t: TestApp;
  let browser: Browser;
  let county: { id: string; token: string };
  let orderTopic: string;
  let towel: string;
  let volunteerId: string;

  const api = (method: string, path: string, token: string, body?: unknown) =>
    t.api.request<any>(method, path, body, { token });

  beforeAll(async () => {
    t = await startApp();
    const admin = await adminToken(t);
    await importSongtao(t, admin);
    county = await person(t, admin, OPERATOR, 'operator', SONGTAO);
    const village = await person(t, admin, 'baiyan-village', 'operator', DAXING_VILLAGE);
    const lecturer = await person(t, admin, 'daxing-lecturer', 'lecturer', DAXING, '王理论');
    orderTopic = (
      await api('POST', '/api/v1/topics', county.token, { countyCode: SONGTAO, title: '移风易俗', category: 'customs' })
    ).body.id;
    expect(
      (
        await api('POST', '/api/v1/teams', county.token, {
          name: '大兴宣讲队',
          regionCode: DAXING,
          members: [{ userId: lecturer.id, title: '理论专家' }],
        })
      ).status,
    ).toBe(201);
    expect(
      (await api('POST', '/api/v1/orders', village.token, { topicId: orderTopic, regionCode: DAXING_VILLAGE })).status,
    ).toBe(201);

    // A volunteer with 60 points (an hour at 60 an hour) and a township's towels to redeem them for.
    await api('PUT', `/api/v1/regions/${SONGTAO}/points-rate`, county.token, { pointsPerHour: 60 });
    const session = await api('POST', '/api/v1/lecture-sessions', county.token, {
      topicId: orderTopic,
      mode: 'onsite',
      regionCode: DAXING_VILLAGE,
      startsAt: new Date(Date.now() - 90 * 60_000).toISOString(),
      plannedMinutes: 60,
      lecturerIds: [lecturer.id],
    });
    await api('POST', `/api/v1/lecture-sessions/${session.body.id}/complete`, county.token, {
      attendance: 12,
      actualMinutes: 60,
      signIns: ['李大姐'],
    });
    volunteerId = (await api('GET', `/api/v1/points?region=${SONGTAO}`, county.token)).body.items.find(
      (balance: any) => balance.name === '李大姐',
    ).holderId;
    towel = (
      await api('POST', '/api/v1/redemption-items', county.token, {
        regionCode: DAXING,
        name: '毛巾',
        pointsPrice: 20,
        stock: 5,
      })
    ).body.id;
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it('shows the order waiting for dispatch, dispatches it through a suggestion, and counts down to acceptance', async () => {
    const context = await openContext(browser, t);
    const page = await context.newPage();
    await signIn(page, OPERATOR, `${OPERATOR}-password`);
    await page.getByRole('menuitem', { name: '点单派单' }).click();
    const waiting = page.getByRole('region', { name: '待派单' });
    const card = waiting.getByRole('article', { name: '移风易俗 · 白岩社区居民委员会' });
    await card.getByText('代点单').waitFor();
    await expectFitsTheScreen(page);

    await card.getByRole('button', { name: /派\s*单/ }).click();
    const drawer = page.getByRole('dialog', { name: '派单：移风易俗 · 白岩社区居民委员会' });
    await drawer.getByText('第 1 推荐').waitFor();
    await drawer.getByText('本乡镇的队').waitFor();
    await drawer.getByText('成员：王理论（理论专家）').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'orders-dispatch');
    await drawer.getByRole('button', { name: '派给 大兴宣讲队' }).click();
    await page.getByText('已派给 大兴宣讲队，须 24 小时内接单').waitFor();
    await drawer.waitFor({ state: 'hidden' });

    const dispatched = page
      .getByRole('region', { name: '待接单' })
      .getByRole('article', { name: '移风易俗 · 白岩社区居民委员会' });
    await dispatched.getByText('宣讲队：大兴宣讲队').waitFor();
    await dispatched.getByText(/^接单截止 \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/).waitFor();
    await dispatched.getByText(/^剩 23 小时 \d+ 分$/).waitFor();
    expect(await waiting.getByRole('article').count()).toBe(0);
    const [order] = (await api('GET', '/api/v1/orders?status=dispatched', county.token)).body.items;
    expect(order).toMatchObject({ teamName: '大兴宣讲队', dispatchedById: county.id });
    await screenshot(page, 'orders');
    await expectFitsTheScreen(page);
    await context.close();
  });

  it('shows the ledger in words with its verify status, and redeems at the counter with a scanned code', async () => {
    const context = await openContext(browser, t);
    const page = await context.newPage();
    await signIn(page, OPERATOR, `${OPERATOR}-password`);

    await page.goto('/redemption');
    // A delivery of ten more towels, through the catalogue.
    await page.getByRole('button', { name: '调整 毛巾' }).click();
    const adjust = page.getByRole('dialog', { name: '调整：毛巾' });
    await adjust.getByLabel('库存增减（入库填正数，出库填负数）').fill('10');
    await adjust.getByRole('button', { name: /确\s*定|OK/ }).click();
    await page.getByText('20 积分/件 · 库存 15').waitFor();
    await page.getByLabel('兑换物品').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '毛巾' }).click();
    await closedDropdown(page);
    await page.getByLabel('数量').fill('2');
    // A keyboard-wedge scanner types the code and presses Enter.
    const code = t.app.get(VolunteerCodes).issue(volunteerId).code;
    await page.getByLabel('志愿者兑换码').pressSequentially(code, { delay: 0 });
    await page.getByLabel('志愿者兑换码').press('Enter');
    const confirmation = page.getByRole('region', { name: '请核对后确认' });
    await confirmation.getByText('志愿者：李大姐').waitFor();
    await confirmation.getByText('毛巾 × 2，共需 40 积分').waitFor();
    await confirmation.getByText('兑换后剩余 20 积分').waitFor();
    await expectFitsTheScreen(page);
    await confirmation.getByRole('button', { name: /确认兑换/ }).click();
    const receipt = await page.getByText(/^兑换成功：李大姐 剩余 20 积分；毛巾 库存余 13；台账 #\d+$/).innerText();
    const seq = receipt.match(/#(\d+)$/)![1];
    expect((await api('GET', '/api/v1/redemption-items', county.token)).body.items[0]).toMatchObject({
      id: towel,
      stock: 13,
    });
    await screenshot(page, 'redemption');
    await expectFitsTheScreen(page);

    await page.getByRole('menuitem', { name: '台账' }).click();
    const verify = (await api('GET', '/api/v1/ledger/verify', county.token)).body;
    expect(verify.ok).toBe(true);
    await page.getByText(`校验通过：共 ${verify.count} 条记录，链条完整`).waitFor();
    await page.getByText(verify.head.hash).waitFor();
    await page.getByLabel('类型').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '积分兑换' }).click();
    await closedDropdown(page);
    const entry = page.getByRole('listitem').filter({ hasText: `#${seq}` });
    await entry.getByText('李大姐 兑换使用 40 积分（兑换 毛巾 × 2）').waitFor();
    await entry.getByText('兑换物品：毛巾 × 2，库存余 13').waitFor();
    await screenshot(page, 'ledger');
    await expectFitsTheScreen(page);
    await context.close();
  });

  it('fits a phone: the board becomes a list by state, the ledger and the counter fit the screen', async () => {
    const context = await openContext(browser, t, PHONE);
    const page = await context.newPage();
    await signIn(page, OPERATOR, `${OPERATOR}-password`);
    await page.goto('/orders');
    await page.getByText('待接单（1）').click();
    await page
      .getByRole('region', { name: '待接单' })
      .getByRole('article', { name: '移风易俗 · 白岩社区居民委员会' })
      .getByText(/^剩 23 小时 \d+ 分$/)
      .waitFor();
    await screenshot(page, 'orders-phone');
    await expectFitsTheScreen(page);
    for (const [path, text] of [
      ['/ledger', /^校验通过：共 \d+ 条记录，链条完整$/],
      ['/redemption', '柜台兑换'],
    ] as const) {
      await page.goto(path);
      await page.getByText(text).first().waitFor();
      await expectFitsTheScreen(page);
    }
    await context.close();
  });
});
