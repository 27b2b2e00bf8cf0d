import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { startApp, type TestApp } from './helpers/app';
import { expectFitsTheScreen, launchBrowser, openContext, PHONE, screenshot, signIn } from './helpers/browser';
import {
  adminToken,
  createEndpoint,
  DAXING,
  DAXING_VILLAGE,
  enroll,
  importSongtao,
  PANSHI,
  PANSHI_VILLAGE,
  person,
} from './helpers/factories';
import { startTestIcecast, type TestIcecast } from './helpers/icecast';
import { holdsMp3Frames } from './helpers/live';
import { waitFor } from './helpers/processes';
import { EventStream } from './helpers/sse';

/**
 * Live voice (实时喊话) from the console, end to end: a township operator's
 * phone speaks with Chromium's fake microphone (a beeping tone) through the
 * real server, ffmpeg and Icecast to simulated loudspeakers, which play it by
 * reading the stream as a device does.
 */

/** Enough of a live stream to know it is MP3 a device can play. */
const MP3_BYTES = 16 * 1024;

/** A device playing the stream: reads it until it has enough bytes, as the endpoint's player would. */
async function play(url: string): Promise<Buffer> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  expect(response.status).toBe(200);
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    chunks.push(Buffer.from(chunk));
    length += chunk.length;
    if (length >= MP3_BYTES) break;
  }
  controller.abort();
  return Buffer.concat(chunks);
}

/** The region picker shows only the user's scope, so their township is at the top of the tree. */
async function pickTownship(page: Page, name: string) {
  await page.getByLabel('目标区域').click();
  await page.locator('.ant-select-tree-treenode', { hasText: name }).locator('.ant-select-tree-checkbox').click();
  await page.keyboard.press('Escape');
}

async function startSpeaking(page: Page, title: string, township: string) {
  await page.goto('/live');
  await page.getByLabel('标题').fill(title);
  await pickTownship(page, township);
  await page.locator('#priority').getByText('紧急').click();
  await page.getByText('立即打断 17:30 节目').waitFor();
  await page.getByRole('button', { name: '开始喊话' }).click();
}

describe('web console: live voice', () => {
  let icecast: TestIcecast;
  let t: TestApp;
  let browser: Browser;
  let admin: string;
  let operatorA: string;

  beforeAll(async () => {
    icecast = await startTestIcecast();
    t = await startApp({ ...icecast.env });
    admin = await adminToken(t);
    await importSongtao(t, admin);
    operatorA = (await person(t, admin, 'live-a', 'operator', DAXING)).token;
    await person(t, admin, 'live-b', 'operator', PANSHI);
    browser = await launchBrowser({ fakeMicrophone: true });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await icecast?.stop();
  });

  it("an operator's browser speaks to township A; its simulated devices receive and play it, township B's do not; the recording becomes media", async () => {
    const devicesA = [];
    for (const [index, name] of ['村口', '学校'].entries())
      devicesA.push(
        await enroll(t, (await createEndpoint(t, admin, DAXING_VILLAGE, name)).enrollmentCode, `SN-LIVE-A${index}`),
      );
    const deviceB = await enroll(t, (await createEndpoint(t, admin, PANSHI_VILLAGE)).enrollmentCode, 'SN-LIVE-B');
    const streamsA = await Promise.all(
      devicesA.map((device) => EventStream.open(`${t.url}/api/v1/device/events`, device.token)),
    );
    const streamB = await EventStream.open(`${t.url}/api/v1/device/events`, deviceB.token);
    const phone = await openContext(browser, t, PHONE);
    try {
      const page = await phone.newPage();
      // The page's audio sockets pass through the test, which counts the chunks each carries and can cut one
      // as a phone between cells would.
      const audio: Array<{ chunks: number; cut(): Promise<void> }> = [];
      await page.routeWebSocket(/\/audio\?token=/, (socket) => {
        const server = socket.connectToServer();
        const connection = {
          chunks: 0,
          cut: async () => {
            await server.close();
            await socket.close({ code: 1001, reason: 'the network dropped' });
          },
        };
        audio.push(connection);
        socket.onMessage((message) => {
          connection.chunks += 1;
          server.send(message);
        });
        server.onMessage((message) => socket.send(message));
        socket.onClose((code, reason) => void server.close({ code, reason }));
        server.onClose((code, reason) => void socket.close({ code, reason }));
      });
      await signIn(page, 'live-a', 'live-a-password');
      await startSpeaking(page, '防汛紧急通知', '大兴街道');
      const status = page.getByRole('status').filter({ hasText: '正在喊话' });
      await status.getByText(/开始（县时间）· 已讲 \d+:\d\d/).waitFor();

      let sessionId = '';
      for (const stream of streamsA) {
        const started = await waitFor('live-started at each of township A’s loudspeakers', async () =>
          stream.events.find((event) => event.event === 'live-started'),
        );
        const live = JSON.parse(started.data);
        expect(live).toMatchObject({ title: '防汛紧急通知', urgent: true, stream: { mime: 'audio/mpeg' } });
        sessionId = live.id;
        expect(holdsMp3Frames(await play(live.stream.url))).toBe(true);
      }
      await page
        .getByRole('listitem', { name: '防汛紧急通知' })
        .getByRole('button', { name: /^结\s*束$/ })
        .waitFor();
      await expectFitsTheScreen(page);
      await screenshot(page, 'live-voice');

      // A second start to the same township while it is live is refused, in Chinese, and creates nothing.
      const second = await phone.newPage();
      await startSpeaking(second, '第二个喊话', '大兴街道');
      await second.getByText('所选区域正在喊话').waitFor();
      await second.close();
      expect((await t.api.get('/api/v1/live-sessions', { token: operatorA })).body.items).toHaveLength(1);

      // The connection drops: the page reconnects by itself within the grace period, says so, and stays on air.
      const panel = page.getByRole('region', { name: '开始喊话' });
      await audio[0].cut();
      await panel.getByText('已重新连接（第 1 次重连）').waitFor();
      await status.waitFor();
      // The new connection's audio (a new recording, from its header) reaches the server, which carries on.
      await waitFor('audio on the new connection', async () => (audio[1]?.chunks >= 3 ? true : undefined));
      expect(audio).toHaveLength(2);
      expect((await t.api.get(`/api/v1/live-sessions/${sessionId}`, { token: operatorA })).body.status).toBe('live');

      await panel.getByRole('button', { name: '结束喊话' }).click();
      await panel.getByText('结束原因：讲话人结束').waitFor();
      for (const [index, stream] of streamsA.entries()) {
        await waitFor('live-ended at township A’s loudspeakers', async () =>
          stream.events.find((event) => event.event === 'live-ended'),
        );
        const at = new Date().toISOString();
        const receipt = await t.api.post(
          '/api/v1/device/receipts',
          {
            receipts: [
              { id: randomUUID(), itemId: `live:${sessionId}`, startedAt: at, endedAt: at, outcome: 'played' },
            ],
          },
          { token: devicesA[index].token },
        );
        expect(receipt.status).toBe(200);
      }
      // Township B's loudspeaker was told nothing (its stream has carried the same bus all along).
      expect(streamB.events.filter((event) => event.event.startsWith('live-'))).toEqual([]);

      // The recording goes through the media pipeline and is played back on the page.
      await panel.getByLabel('回听录音：防汛紧急通知').waitFor({ timeout: 60_000 });
      const session = (await t.api.get(`/api/v1/live-sessions/${sessionId}`, { token: operatorA })).body;
      expect(session).toMatchObject({ status: 'ended', endReason: 'operator', startedBy: { username: 'live-a' } });
      const media = (await t.api.get(`/api/v1/media/${session.recordingMediaId}`, { token: operatorA })).body;
      expect(media).toMatchObject({ status: 'ready', source: 'live' });
      const ended = page.getByRole('listitem', { name: '防汛紧急通知' });
      await ended.getByText(/2 个喇叭播放/).waitFor();
      await ended.getByText(/讲话人 live-a/).waitFor();
    } finally {
      for (const stream of [...streamsA, streamB]) stream.close();
      await phone.close();
    }
  }, 180_000);

  it('tells a township-B operator who tries to speak to township A that it is not allowed, and starts nothing', async () => {
    const desk = await openContext(browser, t);
    try {
      const page = await desk.newPage();
      await signIn(page, 'live-b', 'live-b-password');
      // The picker offers only their own township; the request is turned towards township A on its way,
      // as a hand-made request would be, so the server's refusal is what the page shows.
      await page.route('**/api/v1/live-sessions', async (route) =>
        route.request().method() === 'POST'
          ? route.continue({ postData: JSON.stringify({ ...route.request().postDataJSON(), regionCodes: [DAXING] }) })
          : route.continue(),
      );
      const before = (await t.api.get('/api/v1/live-sessions', { token: admin })).body.items.length;
      await startSpeaking(page, '越权喊话', '盘石镇');
      await page.getByRole('alert').getByText('没有权限').waitFor();
      expect((await t.api.get('/api/v1/live-sessions', { token: admin })).body.items.length).toBe(before);
    } finally {
      await desk.close();
    }
  }, 120_000);
});
