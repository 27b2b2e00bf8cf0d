import type { Browser, Page } from 'playwright-core';
import { addDays, countyDate } from '../src/kernel/county-time';
import { ADMIN, startApp, type TestApp } from './helpers/app';
import {
  horizontalOverflow,
  launchBrowser,
  openContext,
  PHONE,
  screenshot,
  seriousA11yViolations,
  signIn,
} from './helpers/browser';
import {
  addToProgramme,
  importSongtaoInPage,
  newProgramme,
  readyInPage,
  saveProgramme,
  uploadInPage,
} from './helpers/console-steps';
import {
  adminToken,
  createEndpoint,
  DAXING_VILLAGE,
  enroll,
  PANSHI_VILLAGE,
  person,
  SONGTAO,
} from './helpers/factories';
import { audioFixture, settled, upload } from './helpers/media';
import { waitFor } from './helpers/processes';

const TOMORROW = addDays(countyDate(new Date()), 1);
const OPERATOR = { username: 'rundown-operator', password: 'rundown-operator-password' };

/**
 * The operator's whole journey (issue 15), every step in the pages: an admin
 * imports Songtao; the county operator uploads a recording, builds a
 * programme of it, schedules it for tomorrow at a village and sees it at its
 * minute, and the village's loudspeaker pulls it in its playlist. Then an
 * overflowing one is refused before it is saved.
 */
describe('web console: the rundown', () => {
  let t: TestApp;
  let browser: Browser;
  let admin: string;
  let operator: string;

  const programme = async (title: string, segments: string[]) => {
    const reply = await t.api.post(
      '/api/v1/programmes',
      { title, category: 'core_values', segments },
      { token: operator },
    );
    expect(reply.status).toBe(201);
    return reply.body as { id: string; durationMs: number };
  };
  const saved = async () =>
    (await t.api.get(`/api/v1/broadcasts?region=${SONGTAO}`, { token: operator })).body.items as Array<{
      programmeTitle: string;
    }>;
  const openForm = async (page: Page, title: string) => {
    await page.getByRole('button', { name: '安排节目' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('节目').click();
    await page.locator('.ant-select-item-option').filter({ hasText: title }).click();
    // The list closes with an animation; the page is judged (axe) once it has, as a person sees it.
    await page.locator('.ant-select-dropdown').waitFor({ state: 'hidden' });
    return dialog;
  };

  beforeAll(async () => {
    t = await startApp();
    admin = await adminToken(t);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it('imports the county, uploads a recording, builds a programme, schedules it for tomorrow at a village, shows it at 17:30, and the village’s loudspeaker gets it', async () => {
    // Only an admin may import divisions.
    const desk = await openContext(browser, t);
    const adminPage = await desk.newPage();
    await signIn(adminPage, ADMIN.username, ADMIN.password);
    await importSongtaoInPage(adminPage);
    await desk.close();

    // The admin gives the county its operator; the village's loudspeaker is installed.
    operator = (await person(t, admin, OPERATOR.username, 'operator', SONGTAO)).token;
    const device = await enroll(t, (await createEndpoint(t, operator, DAXING_VILLAGE)).enrollmentCode, 'SN-RUNDOWN-1');

    const context = await openContext(browser, t);
    const page = await context.newPage();
    await signIn(page, OPERATOR.username, OPERATOR.password);
    await page.getByRole('menuitem', { name: '素材' }).click();
    const recording = await uploadInPage(page, audioFixture('announcement-cmn.wav'));
    await readyInPage(page, recording);

    await newProgramme(page, '村规民约宣讲');
    await addToProgramme(page, recording);
    await saveProgramme(page, '村规民约宣讲');
    const programmes = (await t.api.get('/api/v1/programmes', { token: operator })).body.items as Array<{
      title: string;
      durationMs: number;
    }>;
    const made = programmes.find((entry) => entry.title === '村规民约宣讲')!;

    await page.getByRole('menuitem', { name: '播出编排' }).click();
    await page.getByRole('heading', { name: /播出编排/ }).waitFor();
    await page.goto(`/rundown?region=${DAXING_VILLAGE}&date=${TOMORROW}`);
    await page.getByText('这一天还没有安排节目').waitFor();
    await page.getByText('剩余 30:00').waitFor();

    const dialog = await openForm(page, '村规民约宣讲');
    // Where and when default to the village and date on screen; the server's dry run says it fits.
    await dialog.getByText(/时段够用：白岩社区/).waitFor();
    await dialog.getByRole('button', { name: '安排节目' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const row = page.getByRole('list', { name: '播出编排' }).getByRole('listitem').filter({ hasText: '村规民约宣讲' });
    await row.getByText('17:30:00').waitFor();
    await row.getByText('村级 · 白岩社区').waitFor();
    expect(await page.getByText(/^已排 0:2\d$/).count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'rundown');

    // The same loudspeaker's playlist has it, at 17:30 county time.
    const item = await waitFor('the village playlist to carry the programme', async () => {
      const reply = await fetch(`${t.url}/api/v1/device/playlist?date=${TOMORROW}`, {
        headers: { authorization: `Bearer ${device.token}` },
      });
      const body = (await reply.json()) as { items: Array<{ title: string; startsAt: string; durationMs: number }> };
      return body.items.find((entry) => entry.title === '村规民约宣讲');
    });
    expect(Date.parse(item.startsAt)).toBe(Date.parse(`${TOMORROW}T17:30:00+08:00`));
    expect(item.durationMs).toBe(made.durationMs);

    // The week: seven dates of this village, tomorrow's with the programme.
    await page.getByText('一周').click();
    const dates = page.getByRole('button', { name: /^\d{4}-\d{2}-\d{2} 周/ });
    const tomorrow = page
      .locator('.ant-card')
      .filter({ has: page.getByRole('button', { name: new RegExp(`^${TOMORROW}`) }) });
    await tomorrow.getByText('村规民约宣讲').waitFor();
    expect(await dates.count()).toBe(7);
    await screenshot(page, 'rundown-week');
    await context.close();
  });

  it('refuses an overflowing programme before saving, on a phone, and saves nothing', async () => {
    // One clip over and over past the 30-minute window.
    const clip = await settled(t, operator, (await upload(t, operator, audioFixture('announcement-cmn.wav'))).body.id);
    const segments = Array.from({ length: Math.ceil((30 * 60_000) / clip.durationMs) + 1 }, () => clip.id);
    const long = await programme('超长节目', segments);
    const over = Math.ceil((long.durationMs - 30 * 60_000) / 1000);
    const before = await saved();

    const context = await openContext(browser, t, PHONE);
    const page = await context.newPage();
    await signIn(page, OPERATOR.username, OPERATOR.password);
    await page.goto(`/rundown?region=${PANSHI_VILLAGE}&date=${TOMORROW}`);
    await page.getByText('这一天还没有安排节目').waitFor();
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);

    const dialog = await openForm(page, '超长节目');
    await dialog.getByText('超出播出时段，不能保存').waitFor();
    await dialog.getByText(new RegExp(`^盘石社区\\S* ${TOMORROW} 超出 ${over} 秒$`)).waitFor();
    expect(await dialog.getByRole('button', { name: '安排节目' }).isDisabled()).toBe(true);
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'rundown-overflow');

    expect(await saved()).toEqual(before);
    await context.close();
  });
});
