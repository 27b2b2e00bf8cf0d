import type { Browser, Locator } from 'playwright-core';
import { startApp, type TestApp } from './helpers/app';
import {
  DESKTOP,
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
  mediaItem,
  newProgramme,
  readyInPage,
  saveProgramme,
  uploadInPage,
} from './helpers/console-steps';
import { adminToken, importSongtao, person, SONGTAO } from './helpers/factories';
import { audioFixture } from './helpers/media';

const OPERATOR = 'media-operator';
const NOTICE_TITLE = '村民大会通知';

/** How the console writes a length: m:ss. */
const clock = (ms: number) => {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/** Waits until the list shows these texts, one per item, in this order (and no other items). */
async function inOrder(items: Locator, texts: string[]): Promise<void> {
  for (const [index, text] of texts.entries()) await items.nth(index).filter({ hasText: text }).waitFor();
  expect(await items.count()).toBe(texts.length);
}

/**
 * An operator prepares tonight's broadcast in the browser: uploads a
 * recording and watches it become ready, learns in Chinese why a bad file
 * failed, makes a Mandarin notice from text, listens, and builds a programme
 * of the two in the order they should air.
 */
describe('web console: media and programmes', () => {
  let t: TestApp;
  let browser: Browser;
  let token: string;

  beforeAll(async () => {
    t = await startApp();
    const admin = await adminToken(t);
    await importSongtao(t, admin);
    token = (await person(t, admin, OPERATOR, 'operator', SONGTAO)).token;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it('uploads with progress, turns processing into ready or failed without a reload, speaks Mandarin and plays', async () => {
    const context = await openContext(browser, t, DESKTOP);
    const page = await context.newPage();
    await signIn(page, OPERATOR, `${OPERATOR}-password`);
    await page.getByRole('menuitem', { name: '素材' }).click();
    await page.getByRole('heading', { name: '素材', level: 1 }).waitFor();
    let loads = 0;
    page.on('load', () => (loads += 1));

    // The file's own progress bar runs to the end, then says the server has it.
    const title = await uploadInPage(page, audioFixture('announcement-cmn.wav'));
    const recording = mediaItem(page, title);
    await recording.getByText(/^处理中/).waitFor();
    await screenshot(page, 'media-processing');
    await readyInPage(page, title);
    await recording.getByText(/时长 0:27/).waitFor();

    // The player plays the broadcast rendition itself.
    const src = await recording.getByLabel('试听 announcement-cmn').getAttribute('src');
    const rendition = await fetch(new URL(src!, t.url));
    expect(rendition.status).toBe(200);
    expect(rendition.headers.get('content-type')).toBe('audio/mpeg');

    // A text file named .wav is refused by the pipeline, and the page says why in Chinese.
    const uploads = page.getByRole('region', { name: '上传录音' });
    await uploads.locator('input[type=file]').setInputFiles(audioFixture('bad/notes.wav'));
    await mediaItem(page, 'notes').getByText('失败原因：不是音频或视频文件').waitFor({ timeout: 60_000 });

    // A notice typed as text, spoken in Mandarin.
    await page.getByLabel('要播报的文字').fill('各位村民请注意，今晚七点在村委会召开村民大会，请准时参加。');
    await page.getByLabel('标题（可不填，默认用文字开头）').fill(NOTICE_TITLE);
    await page.getByRole('region', { name: '文字转语音' }).getByText('普通话').waitFor();
    await page.getByRole('button', { name: '生成语音' }).click();
    await readyInPage(page, NOTICE_TITLE);
    expect(loads).toBe(0);

    const { body } = await t.api.get('/api/v1/media', { token });
    const spoken = body.items.find((item: { title: string }) => item.title === NOTICE_TITLE);
    expect(spoken).toMatchObject({ source: 'tts', status: 'ready', mime: 'audio/mpeg' });

    await screenshot(page, 'media');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await context.close();
  });

  it('builds a programme of two ready items, reordered by dragging and by the buttons, with its total', async () => {
    const { body } = await t.api.get('/api/v1/media?status=ready', { token });
    const byTitle = (title: string) => body.items.find((item: { title: string }) => item.title === title);
    const recording = byTitle('announcement-cmn');
    const notice = byTitle(NOTICE_TITLE);

    const context = await openContext(browser, t, DESKTOP);
    const page = await context.newPage();
    await signIn(page, OPERATOR, `${OPERATOR}-password`);
    await newProgramme(page, '今晚的广播');

    const total = (ms: number) => page.getByText(`总时长 ${clock(ms)}`, { exact: true }).waitFor();
    await total(0);
    await addToProgramme(page, 'announcement-cmn');
    await total(recording.durationMs);
    await addToProgramme(page, NOTICE_TITLE);
    await total(recording.durationMs + notice.durationMs);

    const order = page.getByRole('list', { name: '播出顺序' }).locator('li');
    await inOrder(order, ['announcement-cmn', NOTICE_TITLE]);

    // Drag the recording below the notice by its handle.
    const from = (await page.getByRole('button', { name: '拖动排序：announcement-cmn' }).boundingBox())!;
    const to = (await page.getByRole('button', { name: `拖动排序：${NOTICE_TITLE}` }).boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2 + 10, { steps: 12 });
    await page.mouse.up();
    await inOrder(order, [NOTICE_TITLE, 'announcement-cmn']);

    // The same without a mouse: up, then down again.
    await page.getByRole('button', { name: '上移 announcement-cmn' }).click();
    await inOrder(order, ['announcement-cmn', NOTICE_TITLE]);
    await page.getByRole('button', { name: '下移 announcement-cmn' }).click();
    await inOrder(order, [NOTICE_TITLE, 'announcement-cmn']);
    await total(recording.durationMs + notice.durationMs);
    await screenshot(page, 'programmes-builder');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await saveProgramme(page, '今晚的广播');
    const shown = page.getByRole('region', { name: '节目内容' }).locator('li');
    await inOrder(shown, [`1. ${NOTICE_TITLE}`, '2. announcement-cmn']);

    const saved = (await t.api.get('/api/v1/programmes', { token })).body.items[0];
    expect(saved.title).toBe('今晚的广播');
    expect(saved.segments.map((segment: { mediaId: string }) => segment.mediaId)).toEqual([notice.id, recording.id]);
    expect(saved.durationMs).toBe(recording.durationMs + notice.durationMs);

    await page.getByRole('link', { name: '返回节目列表' }).click();
    await page.getByRole('link', { name: '今晚的广播' }).waitFor();
    await screenshot(page, 'programmes');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await context.close();
  });

  it('fits a phone: both pages at 390 px without sideways scrolling or serious accessibility findings', async () => {
    // /media is the console's page, so a reload or a link there opens it; renditions under /media/ stay the server's.
    expect((await fetch(`${t.url}/media`, { headers: { accept: 'text/html' } })).status).toBe(200);
    const missing = await fetch(`${t.url}/media/${'0'.repeat(64)}.mp3`, { headers: { accept: 'text/html' } });
    expect([missing.status, ((await missing.json()) as { error: string }).error]).toEqual([404, 'Not Found']);

    const context = await openContext(browser, t, PHONE);
    const page = await context.newPage();
    await signIn(page, OPERATOR, `${OPERATOR}-password`);
    for (const [path, ready] of [
      ['/media', () => mediaItem(page, NOTICE_TITLE).getByText('可用', { exact: true })],
      ['/programmes', () => page.getByRole('link', { name: '今晚的广播' })],
      ['/programmes/new', () => page.getByRole('button', { name: `加入 ${NOTICE_TITLE}` })],
    ] as const) {
      await page.goto(path);
      await ready().waitFor();
      if (path === '/programmes/new') await page.getByRole('button', { name: `加入 ${NOTICE_TITLE}` }).tap();
      expect(await horizontalOverflow(page)).toBe(0);
      expect(await seriousA11yViolations(page)).toEqual([]);
    }
    await screenshot(page, 'programmes-phone');
    await context.close();
  });
});
