import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApp, type TestApp } from './helpers/app';
import { launchBrowser, openContext, PHONE, signIn, expectFitsTheScreen } from './helpers/browser';
import { assessmentFigure } from './helpers/console-steps';
import { sql } from './helpers/databases';
import { DAXING_VILLAGE } from './helpers/factories';
import { LectureTeams } from './helpers/lecture-teams';

const TEAM = '大兴宣讲队';
const TOPIC = '移风易俗';
const VILLAGE = '白岩社区居民委员会';
/** Three volunteers and how long before the session's sign-out each of them came (the test cannot wait an hour). */
const VOLUNTEERS = [
  { name: '张伟', phone: '13800000001', earlierMinutes: 95, signsOut: true },
  { name: '李娜', phone: '13800000002', earlierMinutes: 62, signsOut: true },
  { name: '王芳', phone: '13800000003', earlierMinutes: 31, signsOut: false },
];

/** The address a QR code on the page carries (the figure around it names it, for people and tests). */
async function qrLink(page: Page, region: string): Promise<string> {
  const figure = page.getByRole('region', { name: region }).locator('figure[data-qr-value]');
  return (await figure.getAttribute('data-qr-value'))!;
}

/**
 * The whole four-order flow as its people meet it, on their phones where they
 * would be: a villager orders from the village's QR poster; the township
 * operator dispatches it from the board through the suggested team; the
 * lecturer accepts it, registers the session and holds up its sign-in code;
 * three volunteers who registered from the poster sign in and out at
 * different times; the lecturer completes the session and holds up the rating
 * code; the villager rates; the assessment shows the order on time and the
 * volunteers' own hours, and the ledger still verifies.
 */
describe('web console: the four-order flow from the poster to the assessment', () => {
  let t: TestApp;
  let browser: Browser;
  let cast: LectureTeams;
  let posterUrl: string;
  const contexts: BrowserContext[] = [];

  async function phone(): Promise<Page> {
    const context = await openContext(browser, t, PHONE);
    contexts.push(context);
    return context.newPage();
  }

  beforeAll(async () => {
    t = await startApp();
    cast = await LectureTeams.create(t, { wang: TEAM });
    const poster = await cast.api('POST', `/api/v1/regions/${DAXING_VILLAGE}/poster`, 'township');
    expect(poster.status).toBe(200);
    posterUrl = new URL(`/v/village/${poster.body.code}`, t.url).href;
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t.close();
  });

  it('goes from a villager’s order to its rating, and the assessment counts it', async () => {
    // 点单: a villager scans the poster.
    const villager = await phone();
    await villager.goto(posterUrl);
    await villager.getByRole('heading', { name: VILLAGE }).waitFor();
    await villager.getByRole('radio', { name: TOPIC }).check();
    await villager.getByLabel('想听什么（可不填）').fill('红白事简办');
    await villager.getByLabel('联系电话（可不填）').fill('13912345678');
    await villager.getByRole('button', { name: '提交点单' }).click();
    await villager.getByText('点单成功').waitFor();
    await expectFitsTheScreen(villager);
    const [order] = (await cast.api('GET', `/api/v1/orders?region=${DAXING_VILLAGE}`, 'township')).body.items;
    expect(order).toMatchObject({ source: 'villager', status: 'ordered', contactPhone: '139****5678' });

    // 派单: the township operator, at the desk, takes the suggested team.
    const desk = await (async () => {
      const context = await openContext(browser, t);
      contexts.push(context);
      return context.newPage();
    })();
    await signIn(desk, 'township', 'township-password');
    await desk.goto('/orders');
    const card = desk.getByRole('region', { name: '待派单' }).getByRole('article', { name: `${TOPIC} · ${VILLAGE}` });
    await card.getByText('村民点单').waitFor();
    await card.getByRole('button', { name: /派\s*单/ }).click();
    const drawer = desk.getByRole('dialog', { name: `派单：${TOPIC} · ${VILLAGE}` });
    await drawer.getByText('第 1 推荐').waitFor();
    await drawer.getByRole('button', { name: `派给 ${TEAM}` }).click();
    await desk.getByText(`已派给 ${TEAM}，须 24 小时内接单`).waitFor();

    // Three volunteers register from the poster, each on their own phone.
    const volunteers: Page[] = [];
    for (const volunteer of VOLUNTEERS) {
      const page = await phone();
      await page.goto(`${posterUrl}/volunteer`);
      await page.getByLabel('姓名').fill(volunteer.name);
      await page.getByLabel('手机号').fill(volunteer.phone);
      await page.getByRole('button', { name: /登\s*记/ }).click();
      await page.getByRole('heading', { name: '我的志愿服务' }).waitFor();
      volunteers.push(page);
    }

    // 接单 and the session that delivers it, on the lecturer's phone.
    const lecturer = await phone();
    await signIn(lecturer, 'wang', 'wang-password');
    const task = lecturer.getByRole('list', { name: '我的任务' }).locator('li').filter({ hasText: TOPIC });
    await task.getByRole('button', { name: `接单：${TOPIC}` }).click();
    await task.getByText('待宣讲').waitFor();
    await task.getByRole('button', { name: `为“${TOPIC}”登记宣讲` }).click();
    await lecturer.getByRole('button', { name: /^登\s*记$/ }).click();
    await lecturer.getByRole('heading', { name: TOPIC, level: 2 }).waitFor();
    const sessionId = new URL(lecturer.url()).pathname.split('/').pop()!;
    const signInUrl = await qrLink(lecturer, '志愿者扫码签到');

    // They scan the lecturer's code and sign in; they came at different times.
    for (const page of volunteers) {
      await page.goto(signInUrl);
      await page.getByRole('button', { name: /签\s*到/ }).click();
      await page
        .locator('.ant-descriptions-item')
        .filter({ hasText: '签到时间' })
        .filter({ hasNotText: '尚未' })
        .waitFor();
    }
    await expectFitsTheScreen(volunteers[0]);
    for (const volunteer of VOLUNTEERS)
      await sql(
        t.database,
        `UPDATE session_attendance a SET signed_in_at = a.signed_in_at - make_interval(mins => $3)
           FROM volunteer v WHERE a.volunteer_id = v.id AND a.session_id = $1 AND v.name = $2`,
        [sessionId, volunteer.name, volunteer.earlierMinutes],
      );
    for (const [index, page] of volunteers.entries()) {
      if (!VOLUNTEERS[index].signsOut) continue;
      await page.getByRole('button', { name: /签\s*退/ }).click();
      await page
        .locator('.ant-descriptions-item')
        .filter({ hasText: '签退时间' })
        .filter({ hasNotText: '尚未' })
        .waitFor();
    }
    await lecturer.getByText('已签到 3 人').first().waitFor();

    // 完成宣讲: the one still in is signed out now; then the villager's rating code.
    await lecturer.getByLabel('实际时长（分钟）').fill('90');
    await lecturer.getByLabel('听众人数').fill('40');
    await lecturer.getByRole('button', { name: '完成宣讲' }).click();
    await lecturer.getByText('已完成', { exact: true }).waitFor();
    const rateUrl = await qrLink(lecturer, '请村民扫码评价');
    await expectFitsTheScreen(lecturer);

    // 评单: the villager scans it and rates, once.
    await villager.goto(rateUrl);
    await villager.getByText(`${VILLAGE} · ${TOPIC}`).waitFor();
    await villager.getByText('满意', { exact: true }).click();
    await villager.getByLabel('想说的话（可不填）').fill('讲得实在');
    await villager.getByRole('button', { name: '提交评价' }).click();
    await villager.getByText('谢谢您的评价！').waitFor();
    const rated = (await cast.api('GET', `/api/v1/orders/${order.id}`, 'township')).body;
    expect(rated).toMatchObject({ status: 'rated', rating: 'excellent', contactPhone: null });

    // Each volunteer's hours ran from their own sign-in to their own sign-out.
    const attendance = await sql<{ name: string; minutes: number }>(
      t.database,
      `SELECT v.name, floor(extract(epoch FROM a.signed_out_at - a.signed_in_at) / 60)::int AS minutes
         FROM session_attendance a JOIN volunteer v ON v.id = a.volunteer_id WHERE a.session_id = $1`,
      [sessionId],
    );
    const minutes = Object.fromEntries(attendance.map((row) => [row.name, row.minutes]));
    expect(minutes['张伟']).toBeGreaterThanOrEqual(95);
    expect(minutes['李娜']).toBeGreaterThanOrEqual(62);
    expect(minutes['李娜']).toBeLessThan(minutes['张伟']);
    expect(minutes['王芳']).toBeGreaterThanOrEqual(31);
    expect(minutes['王芳']).toBeLessThan(minutes['李娜']);
    await volunteers[0].goto('/v/me');
    await volunteers[0].getByText(`服务 ${minutes['张伟']} 分钟`).waitFor();

    // The assessment of the township this month: the order on time, the volunteers' own hours.
    const total = Object.values(minutes).reduce((sum, value) => sum + value, 0);
    await desk.goto('/assessment');
    await desk.getByRole('group', { name: '按时送达率', exact: true }).waitFor();
    expect(await assessmentFigure(desk, '按时送达率')).toBe('100.0%');
    expect(await assessmentFigure(desk, '满意率')).toBe('100.0%');
    expect(await assessmentFigure(desk, '志愿服务人次')).toBe('3');
    expect(await assessmentFigure(desk, '志愿服务时长（小时）')).toBe((Math.round((total / 60) * 10) / 10).toFixed(1));
    await expectFitsTheScreen(desk);

    // And the ledger still verifies, as its page says.
    const verify = (await cast.api('GET', '/api/v1/ledger/verify', 'township')).body;
    expect(verify.ok).toBe(true);
    await desk.goto('/ledger');
    await desk.getByText(`校验通过：共 ${verify.count} 条记录，链条完整`).waitFor();
  });
});
