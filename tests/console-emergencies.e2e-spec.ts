import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
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
  adminToken,
  createEndpoint,
  DAXING_VILLAGE,
  enroll,
  importSongtao,
  person,
  SONGTAO,
} from './helpers/factories';
import { FIXTURES } from './helpers/cap';
import { waitFor } from './helpers/processes';
import { EventStream } from './helpers/sse';

/**
 * Emergencies in the console, the way a county runs them: an operator at a
 * desk drafts, an approver on a phone approves from the queue, loudspeakers
 * answer, and the operator watches them answer without reloading.
 */

const fitsPhone = async (page: Page) => expect(await horizontalOverflow(page)).toBe(0);

/** The tree in the region picker opens a branch at a time, as a person clicks through it. */
async function pickRegion(page: Page, path: string[], region: string) {
  await page.getByLabel('目标区域').click();
  for (const branch of path)
    await page.locator('.ant-select-tree-treenode', { hasText: branch }).locator('.ant-select-tree-switcher').click();
  await page.locator('.ant-select-tree-treenode', { hasText: region }).locator('.ant-select-tree-checkbox').click();
  await page.keyboard.press('Escape');
}

describe('web console: emergencies', () => {
  let t: TestApp;
  let browser: Browser;
  let admin: string;
  let operatorToken: string;

  beforeAll(async () => {
    t = await startApp();
    admin = await adminToken(t);
    await importSongtao(t, admin);
    operatorToken = (await person(t, admin, 'em-operator', 'operator', SONGTAO)).token;
    await person(t, admin, 'em-approver', 'approver', SONGTAO);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it('an operator drafts from text, an approver on a phone approves it from the queue, and the operator sees the loudspeakers acknowledge and play it without a reload', async () => {
    const devices = [];
    for (const [index, name] of ['村口', '学校'].entries())
      devices.push(
        await enroll(
          t,
          (await createEndpoint(t, operatorToken, DAXING_VILLAGE, name)).enrollmentCode,
          `SN-EM-${index}`,
        ),
      );
    const streams = await Promise.all(
      devices.map((device) => EventStream.open(`${t.url}/api/v1/device/events`, device.token)),
    );
    const desk = await openContext(browser, t);
    const phone = await openContext(browser, t, PHONE);
    try {
      const operator = await desk.newPage();
      await signIn(operator, 'em-operator', 'em-operator-password');
      await operator.goto('/emergencies');
      await operator.getByRole('button', { name: '起草预警' }).click();
      await operator.getByLabel('标题').fill('山洪预警');
      await operator.getByRole('radio', { name: /橙色预警 · II级 重大/ }).check();
      await pickRegion(operator, ['松桃苗族自治县', '大兴街道'], '白岩社区');
      await operator.getByLabel('播报文字（普通话语音合成）').fill('白岩社区请注意，山洪预警，请立即转移到安全地带。');
      await operator.getByRole('switch', { name: '演练' }).click();
      await operator.getByText('演练：这是一次演练，不是真实灾情').waitFor();
      expect(await seriousA11yViolations(operator)).toEqual([]);
      await screenshot(operator, 'emergency-draft');
      await operator.getByRole('button', { name: '提交审核' }).click();
      await operator.waitForURL(/\/emergencies\/[0-9a-f-]{36}$/);
      const id = operator.url().split('/').pop()!;
      await operator.getByText('批准后开始播发').waitFor();
      // The operator may not approve at all: no Approve is offered to them.
      expect(await operator.getByRole('button', { name: '批准播发' }).count()).toBe(0);
      // Marked to tell whether the page is reloaded from here on.
      await operator.evaluate('window.unreloaded = true');

      const approver = await phone.newPage();
      await signIn(approver, 'em-approver', 'em-approver-password');
      await approver.goto('/emergencies');
      const queued = approver.getByRole('listitem').filter({ hasText: '山洪预警' });
      await queued.getByText('演练', { exact: true }).waitFor();
      await queued.getByText('橙色预警 · II级 重大').waitFor();
      await fitsPhone(approver);
      expect(await seriousA11yViolations(approver)).toEqual([]);
      await screenshot(approver, 'approver-phone');
      // Usable once the speech is ready (the page follows the audio's processing).
      await queued.getByRole('button', { name: '批准播发' }).tap();
      const confirm = approver.getByRole('dialog');
      await confirm.getByText('白岩社区').waitFor();
      await confirm.getByRole('button', { name: '批准播发' }).tap();
      await approver.getByText('没有等待审核的预警').waitFor();

      for (const stream of streams) {
        const pushed = await waitFor('the push to each loudspeaker', async () =>
          stream.events.find((event) => event.event === 'emergency'),
        );
        expect(JSON.parse(pushed.data)).toMatchObject({ id, level: 2, drill: true });
      }
      const receipt = async (token: string, outcome: 'acknowledged' | 'played') => {
        const at = new Date().toISOString();
        const reply = await t.api.post(
          '/api/v1/device/receipts',
          { receipts: [{ id: randomUUID(), itemId: `emergency:${id}`, startedAt: at, endedAt: at, outcome }] },
          { token },
        );
        expect(reply.status).toBe(200);
      };
      const region = operator.getByRole('listitem', { name: '白岩社区' });
      await region.getByText('已推送 2 · 已确认 0 · 已播放 0').waitFor();
      for (const device of devices) await receipt(device.token, 'acknowledged');
      await region.getByText('已推送 2 · 已确认 2 · 已播放 0').waitFor();
      for (const device of devices) await receipt(device.token, 'played');
      await region.getByText('已推送 2 · 已确认 2 · 已播放 2').waitFor();
      expect(await operator.evaluate('window.unreloaded')).toBe(true);
      await operator.getByText('播发中').first().waitFor();
      // The trail names who drafted and who approved.
      await operator.getByText(/起草 · em-operator（播控员）/).waitFor();
      await operator.getByText(/批准 · em-approver（审核员）/).waitFor();
      expect(await seriousA11yViolations(operator)).toEqual([]);
      await screenshot(operator, 'emergency-delivery');

      // The same alert on the phone: the delivery view and the trail fit.
      await approver.goto(`/emergencies/${id}`);
      await approver.getByRole('listitem', { name: '白岩社区' }).getByText('已播放 2').waitFor();
      await fitsPhone(approver);
      expect(await seriousA11yViolations(approver)).toEqual([]);
    } finally {
      for (const stream of streams) stream.close();
      await desk.close();
      await phone.close();
    }
  }, 180_000);

  it('offers the drafter no usable Approve on their own alert, and refuses a bad CAP file in Chinese, creating nothing', async () => {
    // An administrator may both draft and approve: the page says why not this one.
    const drafted = await t.api.post(
      '/api/v1/emergencies',
      {
        title: '地质灾害预警',
        level: 3,
        category: 'geological',
        regionCodes: [DAXING_VILLAGE],
        text: '请注意山体滑坡风险。',
        expiresAt: new Date(Date.now() + 2 * 3600_000).toISOString(),
        drill: false,
      },
      { token: admin },
    );
    expect(drafted.status).toBe(201);
    const desk = await openContext(browser, t);
    try {
      const page = await desk.newPage();
      await signIn(page, ADMIN.username, ADMIN.password);
      await page.goto(`/emergencies/${drafted.body.id}`);
      await page.getByText('您起草了此预警，不能由您审核').waitFor();
      expect(await page.getByRole('button', { name: '批准播发' }).isDisabled()).toBe(true);

      await page.goto('/emergencies');
      await page.getByRole('tab', { name: '全部预警' }).click();
      await page.getByRole('link', { name: '地质灾害预警' }).waitFor();
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, 'emergencies');
      const before = (await t.api.get('/api/v1/emergencies', { token: admin })).body.items.length;
      await page.locator('input[type=file]').setInputFiles(join(FIXTURES, 'invalid/03-missing-identifier.xml'));
      await page.getByText('CAP 文件未导入').waitFor();
      await page.getByText('缺少必填项 <identifier>').waitFor();
      expect((await t.api.get('/api/v1/emergencies', { token: admin })).body.items.length).toBe(before);
    } finally {
      await desk.close();
    }
  }, 120_000);
});
