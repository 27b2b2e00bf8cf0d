import type { Browser, Page } from 'playwright-core';
import { startApp, type TestApp } from './helpers/app';
import { launchBrowser, openContext, PHONE, screenshot, signIn, expectFitsTheScreen } from './helpers/browser';
import { LectureTeams } from './helpers/lecture-teams';

const TEAM = '大兴宣讲队';
const TOPIC = '移风易俗';
const VILLAGE = '白岩社区居民委员会';

/** An instant as the console writes it: `YYYY-MM-DD HH:mm` in county time. */
const countyDateTime = (iso: string) =>
  new Date(iso).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 16);
const tomorrowInCounty = () =>
  new Date(Date.now() + 24 * 3600_000).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 10);

/**
 * A lecturer on a 390 px phone: lands on their own page, accepts the order
 * dispatched to their team, registers the session that delivers it on site,
 * holds up the volunteers' sign-in code, completes it, holds up the
 * villager's rating code and sees their points; and records an on-air
 * session's talk with the microphone.
 */
describe('web console: a lecturer on a phone', () => {
  let t: TestApp;
  let browser: Browser;
  let cast: LectureTeams;

  beforeAll(async () => {
    t = await startApp();
    cast = await LectureTeams.create(t, { wang: TEAM });
    browser = await launchBrowser({ fakeMicrophone: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  async function signedIn(): Promise<Page> {
    const context = await openContext(browser, t, PHONE);
    const page = await context.newPage();
    await signIn(page, 'wang', 'wang-password');
    return page;
  }

  /** The QR code's link, as the figure around it says it, must be this console's address for `path`. */
  async function showsQr(page: Page, name: string, path: string): Promise<void> {
    const figure = page.getByRole('region', { name }).locator('figure[data-qr-value]');
    const url = new URL(path, t.url).href;
    expect(await figure.getAttribute('data-qr-value')).toBe(url);
    await figure.getByText(`二维码：${url}`).waitFor();
    expect(await figure.locator('canvas').count()).toBe(1);
  }

  it('accepts an order, registers and completes its session with the sign-in and rating codes, and sees the points', async () => {
    const orderId = await cast.order(TEAM);
    const dispatched = (await cast.api('GET', `/api/v1/orders/${orderId}`, 'wang')).body;
    const page = await signedIn();

    // 我的任务 is where a lecturer lands, with the 24-hour countdown to accept.
    await page.getByRole('heading', { name: '我的宣讲', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/lecturer');
    const task = page.getByRole('list', { name: '我的任务' }).locator('li').filter({ hasText: TOPIC });
    await task.getByText('待接单').waitFor();
    await task.getByText(`接单截止 ${countyDateTime(dispatched.acceptBy)}（还剩 23 小时`).waitFor();
    await task.getByText(`${TEAM} · ${VILLAGE}`).waitFor();
    await expectFitsTheScreen(page);
    await screenshot(page, 'lecturer-tasks-phone');

    await task.getByRole('button', { name: `接单：${TOPIC}` }).click();
    await task.getByText('待宣讲').waitFor();
    const accepted = (await cast.api('GET', `/api/v1/orders/${orderId}`, 'wang')).body;
    expect(accepted.status).toBe('accepted');
    await task.getByText(`宣讲截止 ${countyDateTime(accepted.deliverBy)}（还剩 `).waitFor();

    // 登记宣讲 comes filled in from the order: on site, now.
    await task.getByRole('button', { name: `为“${TOPIC}”登记宣讲` }).click();
    await page.getByText(`本次宣讲完成订单：${TOPIC}（${VILLAGE}）`).waitFor();
    await expectFitsTheScreen(page);
    await page.getByRole('button', { name: /^登\s*记$/ }).click();
    await page.getByRole('heading', { name: TOPIC, level: 2 }).waitFor();
    const sessionId = new URL(page.url()).pathname.split('/').pop()!;
    expect((await cast.api('GET', `/api/v1/orders/${orderId}`, 'wang')).body.sessionId).toBe(sessionId);

    // The volunteers' sign-in code, large, with who is in beneath it.
    const checkin = (await cast.api('GET', `/api/v1/lecture-sessions/${sessionId}/checkin`, 'wang')).body;
    expect(checkin.url).toMatch(new RegExp(`^/v/session/${sessionId}\\?k=`));
    await showsQr(page, '志愿者扫码签到', checkin.url);
    await page.getByText('已签到 0 人').first().waitFor();
    const box = (await page.locator('figure[data-qr-value] canvas').boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(280);
    await expectFitsTheScreen(page);
    await screenshot(page, 'lecturer-session-phone');

    // 完成宣讲, with two people who came without a phone.
    await page.getByLabel('实际时长（分钟）').fill('45');
    await page.getByLabel('听众人数').fill('35');
    await page.getByLabel('没有手机的志愿者（填姓名）').fill('张大爷、李阿姨');
    await page.getByRole('button', { name: '完成宣讲' }).click();
    await page.getByText('已完成', { exact: true }).waitFor();
    const session = (await cast.api('GET', `/api/v1/lecture-sessions/${sessionId}`, 'wang')).body;
    expect(session).toMatchObject({ status: 'completed', orderId });
    expect((await cast.api('GET', `/api/v1/orders/${orderId}`, 'wang')).body.status).toBe('delivered');

    // The villager rates by the one-time link held up on the phone.
    const rating = (await cast.api('GET', `/api/v1/orders/${orderId}/rating-link`, 'wang')).body;
    expect(rating.url).toBe(`/v/rate/${rating.token}`);
    await showsQr(page, '请村民扫码评价', rating.url);
    await expectFitsTheScreen(page);
    await screenshot(page, 'lecturer-rating-phone');

    // 我的积分: what the session earned.
    const points = (await cast.api('GET', '/api/v1/points/me', 'wang')).body;
    // 45 minutes at the county's default 10 points an hour.
    expect(points).toMatchObject({ points: 7, earned: 7 });
    await page.getByRole('button', { name: '我的积分' }).click();
    await page.getByText('可用积分').waitFor();
    await page
      .locator('.ant-statistic-content-value')
      .filter({ hasText: String(points.points) })
      .first()
      .waitFor();
    await expectFitsTheScreen(page);
    await screenshot(page, 'lecturer-points-phone');
    await page.context().close();
  });

  it('records an on-air talk with the microphone, uploads it as a media item and registers the session with it', async () => {
    const page = await signedIn();
    await page.getByRole('button', { name: '登记宣讲' }).click();
    await page.getByRole('heading', { name: '登记宣讲', level: 2 }).waitFor();
    await page.getByLabel('宣讲主题').click();
    await page.locator('.ant-select-item-option').filter({ hasText: TOPIC }).click();
    await page.getByLabel('宣讲地点（村）').click();
    await page.getByText('大兴街道（乡镇）').waitFor();
    // The tree opens at the lecturer's township; its villages load when it opens.
    await page.locator('.ant-select-tree-switcher').first().click();
    await page.getByText(`${VILLAGE}（村）`).click();
    await page.getByText('空中课堂（17:30 广播）').click();
    // A session airs in the evening slot of its date: tomorrow's has not begun whenever the test runs.
    await page.getByLabel('日期').fill(tomorrowInCounty());

    await page.getByRole('button', { name: '开始录音' }).click();
    await page.getByRole('timer').getByText('正在录音 0:03').waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: '停止录音' }).click();
    await page.getByLabel('试听录音').waitFor();
    await expectFitsTheScreen(page);
    await page.getByRole('button', { name: '上传这段录音' }).click();
    await page.getByText(/^录音可以播出/).waitFor({ timeout: 90_000 });

    const media = (await cast.api('GET', '/api/v1/media', 'wang')).body.items;
    expect(media).toEqual([expect.objectContaining({ title: expect.stringMatching(/^宣讲录音 /), status: 'ready' })]);
    expect(media[0].durationMs).toBeGreaterThanOrEqual(2_000);
    await screenshot(page, 'lecturer-recording-phone');

    await page.getByRole('button', { name: /^登\s*记$/ }).click();
    await page.getByText(`${tomorrowInCounty()} 17:30 在广播里播出`).waitFor();
    const sessions = (await cast.api('GET', '/api/v1/lecture-sessions?mine=true&mode=on_air', 'wang')).body.items;
    expect(sessions).toEqual([expect.objectContaining({ recordingMediaId: media[0].id, status: 'planned' })]);
    await page.context().close();
  });
});
