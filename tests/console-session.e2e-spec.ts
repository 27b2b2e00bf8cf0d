import type { Browser } from 'playwright-core';
import { ADMIN, startApp, type TestApp } from './helpers/app';
import {
  horizontalOverflow,
  launchBrowser,
  openContext,
  PHONE,
  readableCookies,
  screenshot,
  seriousA11yViolations,
  signIn,
} from './helpers/browser';
import { adminToken, importSongtao, person, SONGTAO } from './helpers/factories';

/**
 * The console as its users meet it: served by the API process, signed in
 * through the page with a cookie the page cannot read, in Chinese first.
 */
describe('web console: serving and signing in', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await startApp();
    const admin = await adminToken(t);
    await importSongtao(t, admin);
    await person(t, admin, 'songtao-operator', 'operator', SONGTAO);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it('is the page at / and at its own routes, while server paths keep their answers', async () => {
    const page = await fetch(`${t.url}/rundown`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const html = await page.text();
    expect(html).toContain('<html lang="zh-CN">');

    // An unknown API path is the API's 404, not the page.
    const api = await fetch(`${t.url}/api/v1/nothing-here`, { headers: { accept: 'text/html' } });
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });

    // Hashed assets are cached for good and sent compressed.
    const script = html.match(/src="(\/assets\/[^"]+\.js)"/)![1];
    const asset = await fetch(t.url + script, { headers: { 'accept-encoding': 'br' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-encoding')).toBe('br');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${t.url}/assets/missing.js`)).status).toBe(404);
  });

  it('signs in with a cookie the page cannot read, survives a reload, and signs out on the server', async () => {
    const context = await openContext(browser, t);
    const page = await context.newPage();
    await page.goto('/');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in');

    // A wrong password is told in Chinese, with what to do.
    await page.getByLabel('用户名').fill('songtao-operator');
    await page.getByLabel('密码').fill('not-the-password');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByText('用户名或密码不正确').waitFor();

    await signIn(page, 'songtao-operator', 'songtao-operator-password');
    await page.getByText('松桃苗族自治县').first().waitFor();
    const [cookie] = (await context.cookies()).filter((c) => c.name === 'dalaba_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(await readableCookies(page)).not.toContain('dalaba_session');

    // The navigation offers what an operator does, not what an approver or admin does.
    await page.reload();
    await page.getByRole('menuitem', { name: '播出编排' }).waitFor();
    expect(await page.getByRole('menuitem', { name: /应急广播$/ }).count()).toBe(1);

    // English on request, and back.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('menuitem', { name: 'Rundown' }).waitFor();
    await page.getByRole('button', { name: '中文' }).click();

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByLabel('用户名').waitFor();
    // The cookie the browser held no longer signs anyone in.
    const replay = await fetch(`${t.url}/api/v1/auth/me`, {
      headers: { cookie: `dalaba_session=${cookie.value}` },
    });
    expect(replay.status).toBe(401);
    await context.close();
  });

  it('fits a phone: the sign-in and the navigation work at 390 px without hover', async () => {
    const context = await openContext(browser, t, PHONE);
    const page = await context.newPage();
    await signIn(page, ADMIN.username, ADMIN.password);
    expect(await horizontalOverflow(page)).toBe(0);
    await page.getByRole('button', { name: '菜单' }).tap();
    await page.getByRole('menuitem', { name: /应急广播$/ }).tap();
    await page.waitForURL(/\/emergencies/);
    // Judged once the navigation drawer has closed: until then it covers the page, and its menu is between colours.
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    expect(await seriousA11yViolations(page)).toEqual([]);
    await context.close();
  });
});
