import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { ADMIN, startApp, type TestApp } from './helpers/app';
import { expectFitsTheScreen, launchBrowser, openContext, PHONE, screenshot, signIn } from './helpers/browser';
import { adminToken, DAXING, DAXING_VILLAGE, importSongtao, person, SONGTAO } from './helpers/factories';

/**
 * 通知 in the console: an approver on a phone sees the bell count an alert
 * waiting for them, opens it and marks it read; an admin tests the county's
 * webhook, replaces its secret (shown once) and reads the delivery log.
 */
describe('web console: notifications', () => {
  let t: TestApp;
  let browser: Browser;
  let receiver: Server;
  let received = 0;

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      received++;
      request.resume().on('end', () => response.writeHead(204).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    t = await startApp();
    const admin = await adminToken(t);
    await importSongtao(t, admin);
    await person(t, admin, 'daxing-approver', 'approver', DAXING);
    const { token } = await person(t, admin, 'county-operator', 'operator', SONGTAO);
    const drafted = await t.api.post(
      '/api/v1/emergencies',
      {
        title: '白岩社区山洪预警',
        level: 2,
        category: 'flood',
        regionCodes: [DAXING_VILLAGE],
        text: '请注意防范山洪。',
        expiresAt: new Date(Date.now() + 3600_000).toISOString(),
        drill: false,
      },
      { token },
    );
    expect(drafted.status).toBe(201);
    const hook = await t.api.post(
      '/api/v1/webhooks',
      {
        regionCode: SONGTAO,
        name: '县短信网关',
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/sms`,
        format: 'sms_form',
      },
      { token: admin },
    );
    expect(hook.status).toBe(201);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    receiver?.closeAllConnections();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('an approver on a phone follows the bell to the alert waiting for them and marks it read', async () => {
    const phone = await openContext(browser, t, PHONE);
    try {
      const page = await phone.newPage();
      await signIn(page, 'daxing-approver', 'daxing-approver-password');
      await page.getByRole('button', { name: '通知：未读 1' }).click();
      await page.waitForURL('**/notifications');
      const item = page.getByRole('listitem').filter({ hasText: '预警待审批：白岩社区山洪预警' });
      await item.getByText('Ⅱ级（重大，橙色）', { exact: false }).waitFor();
      await expectFitsTheScreen(page);
      await screenshot(page, 'notifications-phone');
      await item.getByRole('button', { name: '标为已读' }).click();
      await page.getByRole('button', { name: '通知', exact: true }).waitFor();
      await item.getByRole('button', { name: '标为已读' }).waitFor({ state: 'detached' });
    } finally {
      await phone.close();
    }
  });

  it('an admin tests the webhook, replaces its secret (shown once) and reads what went out', async () => {
    const desk = await openContext(browser, t);
    try {
      const page = await desk.newPage();
      await signIn(page, ADMIN.username, ADMIN.password);
      await page.goto('/notifications');
      await page.getByRole('tab', { name: '通知规则' }).click();
      await page.getByText('尚无规则，正按默认发送').waitFor();
      await page.getByRole('tab', { name: '外发通道' }).click();
      const hook = page.getByRole('listitem').filter({ hasText: '县短信网关' });
      await hook.getByRole('button', { name: '发送测试' }).click();
      await page.getByText('测试通知已送达（HTTP 204）').waitFor();
      expect(received).toBe(1);

      await hook.getByRole('button', { name: '重新生成密钥' }).click();
      await page.getByRole('button', { name: /确\s*定|OK/ }).click();
      const secret = page.getByRole('dialog').filter({ hasText: '请立即保存密钥' });
      await secret.getByText(/^[0-9a-f]{64}$/).waitFor();
      await expectFitsTheScreen(page);
      await screenshot(page, 'notifications-webhook-secret');
      await secret.getByRole('button', { name: '我已保存' }).click();
      await secret.waitFor({ state: 'hidden' });

      await hook.getByRole('button', { name: '投递记录' }).click();
      await hook.getByText('尚无投递').waitFor();
      await expectFitsTheScreen(page);
      await screenshot(page, 'notifications-webhooks');
    } finally {
      await desk.close();
    }
  });
});
