import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { startApp, type TestApp } from './helpers/app';
import { expectFitsTheScreen, launchBrowser, openContext, PHONE, screenshot, signIn } from './helpers/browser';
import {
  adminToken,
  createEndpoint,
  DAXING_VILLAGE,
  enroll,
  importSongtao,
  person,
  SONGTAO,
} from './helpers/factories';

const XINGGUANG = '520628001002'; // 星光社区
// A 1×1 light grey PNG: what the stand-in tile server answers for every tile.
const TILE = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGN49+EFAAWWAscznoyKAAAAAElFTkSuQmCC',
  'base64',
);

/** The county with four loudspeakers: two working in 白岩社区, one in fault and one never installed (nor placed) in 星光社区. */
async function countyWithLoudspeakers(env: Record<string, string> = {}): Promise<TestApp> {
  const t = await startApp(env);
  const admin = await adminToken(t);
  await importSongtao(t, admin);
  const { token } = await person(t, admin, 'technician', 'operator', SONGTAO);
  const placed = async (regionCode: string, name: string, at: [number, number] | null, report?: object) => {
    const created = await createEndpoint(t, token, regionCode, name);
    if (at)
      await t.api.request('PATCH', `/api/v1/endpoints/${created.id}`, { longitude: at[0], latitude: at[1] }, { token });
    if (!report) return;
    const device = await enroll(t, created.enrollmentCode, `SN-${name}`);
    await t.api.post('/api/v1/device/heartbeat', report, { token: device.token });
  };
  await placed(DAXING_VILLAGE, '白岩村委会', [109.2, 28.16], {
    volume: 60,
    state: 'idle',
    version: 'dalaba-agent/0.3.0',
  });
  await placed(DAXING_VILLAGE, '白岩广场', [109.21, 28.17], { volume: 45, state: 'playing' });
  await placed(XINGGUANG, '星光村口', [109.18, 28.15], {
    volume: 60,
    state: 'fault',
    fault: { code: 'amp.overheat', text: '功放温度过高' },
  });
  await placed(XINGGUANG, '星光小学', null);
  return t;
}

/**
 * 喇叭状态 in the console: an operator of the county sees its loudspeakers on
 * the map by state (a plain longitude/latitude plot with no tiles configured,
 * as by default; the county's own tiles when they are), the one without a
 * position beside it, the fault one reports and the villages no loudspeaker
 * reaches, on a desk and on a phone.
 */
describe('web console: loudspeaker status', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await countyWithLoudspeakers();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the map by state with words beside the colours, the unplaced one, the fault and the silent villages', async () => {
    const desk = await openContext(browser, t);
    try {
      const page = await desk.newPage();
      await signIn(page, 'technician', 'technician-password');
      await page.getByRole('menuitem', { name: '喇叭状态' }).click();
      await page.getByText('▲ 故障 1').waitFor();
      await page.getByText('○ 正在播放 1').waitFor();
      await page.getByText('◆ 未安装 1').waitFor();
      await page.getByText('未配置地图底图（MAP_TILE_URL），按经纬度绘制。').waitFor();
      await page
        .getByRole('img', { name: /松桃苗族自治县的喇叭分布：故障 1，离线 0，未安装 1，正在播放 1，在线 1/ })
        .waitFor();
      await page.getByRole('region', { name: '未定位 (1)' }).getByRole('link', { name: '星光小学' }).waitFor();
      await expectFitsTheScreen(page);
      await screenshot(page, 'loudspeakers-map');

      await page.getByRole('tab', { name: '故障' }).click();
      const fault = page.getByRole('listitem').filter({ hasText: '功放温度过高' });
      await fault.getByText('故障码 amp.overheat', { exact: false }).waitFor();
      await fault.getByText('大兴街道星光社区', { exact: false }).waitFor();
      await expectFitsTheScreen(page);
      await screenshot(page, 'loudspeakers-faults');

      await fault.getByRole('link', { name: '星光村口' }).click();
      await page.getByRole('heading', { name: '星光村口' }).waitFor();
      await page.getByRole('region', { name: '故障记录' }).getByText('仍未恢复', { exact: false }).waitFor();
      await expectFitsTheScreen(page);

      await page.getByRole('link', { name: '返回喇叭状态' }).click();
      await page.getByRole('tab', { name: '无可用喇叭的村' }).click();
      // 白岩社区 has two working loudspeakers; 星光社区's one is in fault and the other not installed.
      const silent = page.getByRole('region', { name: '无可用喇叭的村' });
      await silent.getByRole('listitem').filter({ hasText: '星光社区' }).getByText('喇叭都不可用').waitFor();
      expect(await silent.getByRole('listitem').filter({ hasText: '白岩社区' }).count()).toBe(0);
      await expectFitsTheScreen(page);
      await screenshot(page, 'loudspeakers-silent-villages');
    } finally {
      await desk.close();
    }
  });

  it('reads on a 390 px phone', async () => {
    const phone = await openContext(browser, t, PHONE);
    try {
      const page = await phone.newPage();
      await signIn(page, 'technician', 'technician-password');
      await page.goto('/loudspeakers');
      await page.getByText('▲ 故障 1').waitFor();
      await expectFitsTheScreen(page);
      await screenshot(page, 'loudspeakers-phone');
      await page.goto('/loudspeakers/faults');
      await page.getByText('功放温度过高').waitFor();
      await expectFitsTheScreen(page);
    } finally {
      await phone.close();
    }
  });

  it("draws the loudspeakers on the county's own map tiles when MAP_TILE_URL names them", async () => {
    const tiles: Server = createServer((_request, response) =>
      response.writeHead(200, { 'content-type': 'image/png' }).end(TILE),
    );
    await new Promise<void>((resolve) => tiles.listen(0, '127.0.0.1', resolve));
    const tileServer = `http://127.0.0.1:${(tiles.address() as AddressInfo).port}`;
    const tiled = await countyWithLoudspeakers({
      MAP_TILE_URL: `${tileServer}/{z}/{x}/{y}.png`,
      MAP_TILE_ATTRIBUTION: '© 县测绘队',
    });
    const desk = await openContext(browser, tiled);
    try {
      const page = await desk.newPage();
      await signIn(page, 'technician', 'technician-password');
      await page.goto('/loudspeakers');
      // Tiles from another origin load (the console's image policy names the tile server), and the three placed loudspeakers are on them.
      await page.locator('img.leaflet-tile-loaded').first().waitFor();
      await page.getByText('© 县测绘队').waitFor();
      expect(await page.locator('.leaflet-marker-icon').allTextContents()).toEqual(
        expect.arrayContaining(['▲', '○', '●']),
      );
      expect(await page.locator('.leaflet-marker-icon').count()).toBe(3);
      await page.getByRole('group', { name: /松桃苗族自治县的喇叭分布：故障 1/ }).waitFor();
      await expectFitsTheScreen(page);
      await screenshot(page, 'loudspeakers-tiles');
    } finally {
      await desk.close();
      await tiled.close();
      await new Promise((resolve) => tiles.close(resolve));
    }
  });
});
