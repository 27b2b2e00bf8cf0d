import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { WEB_CONSOLE_DIR } from '../../src/infra/http/web-console';
import type { TestApp } from './app';

/** Debian's Chromium (`apt-get install chromium`): browsers are not downloaded here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A desk and the phone an approver carries (issue 15: every page works at 390×844). */
export const DESKTOP = { width: 1366, height: 860 };
export const PHONE = { width: 390, height: 844 };

export interface LaunchOptions {
  /** A fake microphone (a beeping tone) the pages may use without asking, for recording in the browser. */
  fakeMicrophone?: boolean;
}

/**
 * One headless Chromium per test file. The flags keep it off the network it
 * cannot reach here (background updates, sync, QUIC) and let it run as root.
 */
export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  if (!existsSync(join(WEB_CONSOLE_DIR, 'index.html')))
    throw new Error(`The console is not built in ${WEB_CONSOLE_DIR}: run npm run build first`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      ...(options.fakeMicrophone ? ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'] : []),
    ],
  });
}

/** A fresh browser profile (its own cookies) at a screen size, in Chinese, in the county's time zone. */
export async function openContext(
  browser: Browser,
  t: TestApp,
  viewport = DESKTOP,
  locale = 'zh-CN',
): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: t.url,
    viewport,
    locale,
    // The browser's own zone is not the county's: the console must show county time regardless.
    timezoneId: 'Europe/Berlin',
    hasTouch: viewport === PHONE,
    isMobile: viewport === PHONE,
  });
}

/** Signs in through the page, as a person would, and waits for the navigation to appear. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page
    .getByRole('button', { name: '退出登录' })
    .or(page.getByRole('button', { name: '菜单' }))
    .first()
    .waitFor();
}

const AXE_SOURCE = () => readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; html: string }>;
}

/** axe-core's serious and critical findings on the page as it is now (WCAG 2.1 A and AA rules). */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  await motionSettled(page);
  // Evaluated, not added as a <script>: the console's CSP rightly refuses inline scripts.
  await page.evaluate(AXE_SOURCE());
  // A string, run in the page: the tests are compiled without the DOM's types.
  const violations = await page.evaluate<AxeViolation[]>(`
    axe
      .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
      .then((result) => result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, html: n.html.slice(0, 200) })),
      })))
  `);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

const MOTION_WAIT_MS = 5_000;

/**
 * Waits until no finite animation or transition is running and antd's motion
 * classes are gone. A dropdown or drawer that is fading out is half-transparent,
 * and axe measures its text's contrast against a mix of colours no one reads:
 * a finding of the animation's timing, not of the page.
 */
async function motionSettled(page: Page): Promise<void> {
  // A function, not a string: waitForFunction evaluates a string with eval, which the console's CSP refuses.
  // The tests are compiled without the DOM's types, hence the loose types here.
  const settled = () => {
    const document = (globalThis as any).document;
    return (
      document
        .getAnimations()
        .every((a: any) => a.playState !== 'running' || a.effect.getComputedTiming().endTime === Infinity) &&
      !document.querySelector('[class*="-leave-active"], [class*="-enter-active"], [class*="-appear-active"]')
    );
  };
  // A page that keeps moving (a refresh every few seconds restarting a fade) is judged as it is after a while.
  await page.waitForFunction(settled, undefined, { timeout: MOTION_WAIT_MS }).catch(() => undefined);
}

/** Where a test's screenshots go when DALABA_SCREENSHOTS is set (docs/screenshots/ is made this way). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.DALABA_SCREENSHOTS;
  if (dir) await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** The page as a person meets it: no serious or critical axe finding, and nothing wider than the screen. */
export async function expectFitsTheScreen(page: Page): Promise<void> {
  expect(await seriousA11yViolations(page)).toEqual([]);
  expect(await horizontalOverflow(page)).toBe(0);
}

/** How far the page is wider than the screen (0 when nothing scrolls sideways, as a phone needs). */
export async function horizontalOverflow(page: Page): Promise<number> {
  const width = await page.evaluate<number>('document.documentElement.scrollWidth');
  return Math.max(0, width - (page.viewportSize()?.width ?? width));
}

/** The cookies the page's own script can read (an HttpOnly cookie is not among them). */
export function readableCookies(page: Page): Promise<string> {
  return page.evaluate<string>('document.cookie');
}
