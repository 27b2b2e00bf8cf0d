import type { Browser, Page } from 'playwright-core';
import { sql } from './helpers/databases';
import { startApp, type TestApp } from './helpers/app';
import { launchBrowser, openContext, PHONE, readableCookies, screenshot, expectFitsTheScreen } from './helpers/browser';
import { adminToken, DAXING, DAXING_VILLAGE, importSongtao, person, SONGTAO } from './helpers/factories';

const POSTER = 'baiyan-volunteers';

/**
 * A volunteer on their phone (390×844): registers from the village poster's
 * QR code, signs in and out of a session by the code the lecturer shows, and
 * finds the hours and points on their own page once the session is completed.
 */
describe('volunteers’ pages on a phone', () => {
  let t: TestApp;
  let browser: Browser;
  let lecturer: { id: string; token: string };
  let session: { id: string; url: string };

  async function fitsThePhone(page: Page, name: string) {
    await expectFitsTheScreen(page);
    await screenshot(page, name);
  }

  beforeAll(async () => {
    t = await startApp();
    const admin = await adminToken(t);
    await importSongtao(t, admin);
    const operator = await person(t, admin, 'daxing', 'operator', DAXING);
    lecturer = await person(t, admin, 'wang', 'lecturer', DAXING, '王理论');
    const topicId = (
      await t.api.post(
        '/api/v1/topics',
        { countyCode: SONGTAO, title: '移风易俗', category: 'customs' },
        { token: admin },
      )
    ).body.id;
    const teamId = (
      await t.api.post(
        '/api/v1/teams',
        { name: '大兴宣讲队', regionCode: DAXING, members: [{ userId: lecturer.id }] },
        { token: operator.token },
      )
    ).body.id;
    // The village's poster, as the villagers' pages open it.
    await sql(t.database, `INSERT INTO village_poster (region_code, code, opened_by_id) VALUES ($1, $2, $3)`, [
      DAXING_VILLAGE,
      POSTER,
      operator.id,
    ]);
    // The township's counter offers two things: one their points reach, one they do not.
    for (const [name, pointsPrice] of [
      ['毛巾', 1],
      ['电饭煲', 5000],
    ] as const)
      expect(
        (
          await t.api.post(
            '/api/v1/redemption-items',
            { regionCode: DAXING, name, pointsPrice, stock: 4 },
            { token: operator.token },
          )
        ).status,
      ).toBe(201);
    const created = await t.api.post(
      '/api/v1/lecture-sessions',
      {
        topicId,
        mode: 'onsite',
        regionCode: DAXING_VILLAGE,
        startsAt: new Date(Date.now() - 5 * 60_000).toISOString(),
        plannedMinutes: 60,
        lecturerIds: [lecturer.id],
        teamId,
      },
      { token: lecturer.token },
    );
    const checkin = await t.api.get(`/api/v1/lecture-sessions/${created.body.id}/checkin`, { token: lecturer.token });
    session = { id: created.body.id, url: checkin.body.url };
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it('registers from the poster, signs in and out at the session, and shows the points on /v/me', async () => {
    const context = await openContext(browser, t, PHONE);
    const page = await context.newPage();

    // Scanning the session's code before registering: the page says to register from the poster first.
    await page.goto(session.url);
    await page.getByText('这部手机还没有志愿者卡').waitFor();

    await page.goto(`/v/village/${POSTER}/volunteer`);
    await page.getByRole('heading', { name: '志愿者登记' }).waitFor();
    await fitsThePhone(page, 'volunteer-register');
    await page.getByLabel('姓名').fill('张伟');
    await page.getByLabel('手机号').fill('138 1234 5678');
    await page.getByRole('button', { name: /登\s*记/ }).click();
    await page.getByRole('heading', { name: '我的志愿服务' }).waitFor();
    await page.getByText('138****5678').waitFor();
    const [card] = (await context.cookies()).filter((cookie) => cookie.name === 'dalaba_volunteer');
    expect(card).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(await readableCookies(page)).not.toContain('dalaba_volunteer');

    await page.goto(session.url);
    await page.getByText('张伟，您好').waitFor();
    await page.getByText('移风易俗').waitFor();
    await fitsThePhone(page, 'volunteer-session');
    const time = (label: string) =>
      page.locator('.ant-descriptions-item').filter({ hasText: label }).filter({ hasNotText: '尚未' });
    await page.getByRole('button', { name: /签\s*到/ }).click();
    await time('签到时间').waitFor();
    // As if they had come forty minutes ago (the test cannot wait that long).
    await sql(
      t.database,
      `UPDATE session_attendance SET signed_in_at = now() - interval '40 minutes' WHERE session_id = $1`,
      [session.id],
    );
    await page.getByRole('button', { name: /签\s*退/ }).click();
    await time('签退时间').waitFor();
    const [own] = await sql<{ signed_in_at: Date; signed_out_at: Date }>(
      t.database,
      `SELECT signed_in_at, signed_out_at FROM session_attendance WHERE session_id = $1`,
      [session.id],
    );
    const minutes = Math.floor((own.signed_out_at.getTime() - own.signed_in_at.getTime()) / 60_000);

    const completed = await t.api.post(
      `/api/v1/lecture-sessions/${session.id}/complete`,
      { attendance: 25, actualMinutes: 60 },
      { token: lecturer.token },
    );
    expect(completed.status).toBe(200);
    await page.reload();
    await page.getByText('本场宣讲已结束，不能再签到或签退。').waitFor();
    expect(await page.getByRole('button', { name: /签\s*到/ }).count()).toBe(0);

    await page.goto('/v/me');
    const points = Math.floor((minutes * 10) / 60);
    await page.getByText(`服务 ${minutes} 分钟`).waitFor();
    await page.getByText(`+${points} 积分`).waitFor();
    const offers = page.getByRole('region', { name: '可兑换的物品' });
    await offers.locator('li').filter({ hasText: '毛巾' }).getByText('积分够兑换').waitFor();
    await offers
      .locator('li')
      .filter({ hasText: '电饭煲' })
      .getByText(`还差 ${5000 - points} 积分`)
      .waitFor();
    await page.getByRole('button', { name: '出示兑换码' }).click();
    await page.getByRole('img', { name: '兑换码二维码' }).waitFor();
    await page.getByText(/\d+:\d\d 后失效/).waitFor();
    await fitsThePhone(page, 'volunteer-me');
    await context.close();
  });
});
