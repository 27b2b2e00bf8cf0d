import type { Browser, Page } from 'playwright-core';
import { startApp, type TestApp } from './helpers/app';
import { expectFitsTheScreen, launchBrowser, openContext, PHONE, screenshot, signIn } from './helpers/browser';
import { adminToken, createEndpoint, DAXING, enroll, importSongtao, person } from './helpers/factories';
import { waitFor } from './helpers/processes';
import { EventStream } from './helpers/sse';

/** Picks one option of an antd select by its field label. */
async function choose(page: Page, label: string, option: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).click();
  await page.locator('.ant-select-item-option', { hasText: option }).click();
}

/** Picks a village in the region picker, opening its township first. */
async function chooseVillage(page: Page, township: string, village: string): Promise<void> {
  await page.getByLabel('目标区域', { exact: true }).click();
  await page.locator('.ant-select-tree-treenode', { hasText: township }).locator('.ant-select-tree-switcher').click();
  await page.locator('.ant-select-tree-treenode', { hasText: village }).locator('.ant-select-tree-title').click();
}

/** 远程控制 on a phone: a township operator sets a village's volume and sees what the loudspeaker itself reports. */
describe('web console: remote control', () => {
  let t: TestApp;
  let browser: Browser;
  let device: { endpointId: string; token: string };
  let stream: EventStream;

  beforeAll(async () => {
    t = await startApp();
    const admin = await adminToken(t);
    await importSongtao(t, admin);
    const operator = await person(t, admin, 'yk-daxing', 'operator', DAXING);
    device = await enroll(t, (await createEndpoint(t, operator.token, '520628001001', '村委会门口')).enrollmentCode);
    stream = await EventStream.open(`${t.url}/api/v1/device/events`, device.token);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    stream?.close();
    await browser?.close();
    await t.close();
  });

  it('issues a command, confirms a restart, and shows each loudspeaker’s own answer', async () => {
    const context = await openContext(browser, t, PHONE);
    try {
      const page = await context.newPage();
      await signIn(page, 'yk-daxing', 'yk-daxing-password');
      await page.goto('/commands');
      await page.getByRole('heading', { name: '远程控制', level: 2 }).waitFor();

      await choose(page, '指令', '设置音量');
      await page.getByLabel('音量（0–100）').fill('40');
      await chooseVillage(page, '大兴街道', '白岩社区');
      await page.getByRole('button', { name: '发送指令' }).click();
      await page.getByText('指令已下达，共 1 台喇叭').waitFor();

      // The loudspeaker hears it, acknowledges, does it and reports its new volume.
      const command = await waitFor('the command on the stream', async () => {
        const event = stream.events.find((e) => e.event === 'command');
        return event ? (JSON.parse(event.data) as { id: string; volume: number }) : undefined;
      });
      expect(command.volume).toBe(40);
      const report = (body: unknown) =>
        t.api.post(`/api/v1/device/commands/${command.id}`, body, { token: device.token });
      expect((await report({ status: 'acknowledged' })).status).toBe(200);
      expect((await t.api.post('/api/v1/device/heartbeat', { volume: 40 }, { token: device.token })).status).toBe(200);
      expect((await report({ status: 'done', result: '音量已调到 40' })).status).toBe(200);

      const detail = page.getByRole('region', { name: /各喇叭状态/ });
      await detail.getByText('喇叭回报：音量已调到 40').waitFor();
      await detail.getByText('喇叭自报音量：40').waitFor();
      await detail.getByText('1/1 台已完成').waitFor();
      await expectFitsTheScreen(page);
      await screenshot(page, 'commands-phone');

      // A restart cuts what is playing: it is confirmed first.
      await choose(page, '指令', '重启');
      await chooseVillage(page, '大兴街道', '白岩社区');
      await page.getByRole('button', { name: '发送指令' }).click();
      const dialog = page.getByRole('dialog', { name: '请确认' });
      await dialog.getByText('确定重启这些喇叭？').waitFor();
      await dialog.getByRole('button', { name: '发送指令' }).click();
      await page.getByText('指令已下达，共 1 台喇叭').last().waitFor();
      await page.getByRole('region', { name: '最近的指令' }).getByText('重启').waitFor();
    } finally {
      await context.close();
    }
  });
});
