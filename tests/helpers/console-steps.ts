import { basename, extname, join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { REGIONS_DIR } from './factories';

/**
 * Steps an operator takes in the console, shared by the page tests and the
 * whole-journey test so they drive the pages with the same locators.
 */

/** A node of the region tree by its name (its accessible name also holds the switcher icon's). */
export function treeItem(page: Page, name: string): Locator {
  return page.getByRole('treeitem', { name: new RegExp(`(^|\\s)${name}$`) });
}

/** Imports Songtao's divisions from its CSV file on the Regions page (an admin's step) and waits for the county in the tree. */
export async function importSongtaoInPage(page: Page): Promise<void> {
  await page.goto('/regions');
  await page.locator('input[type=file]').setInputFiles(join(REGIONS_DIR, 'songtao.csv'));
  await page.getByText('已导入 551 行：新增 551，改名 0，未变 0').waitFor();
  await treeItem(page, '松桃苗族自治县').waitFor();
}

/** A media item in the Media page's list, by its title. */
export function mediaItem(page: Page, title: string): Locator {
  return page
    .getByRole('region', { name: '素材列表' })
    .locator('li')
    .filter({ has: page.getByText(title, { exact: true }) });
}

/**
 * Uploads a file on the Media page and waits for its own progress bar to run
 * to the end and say the server has it; returns the item's title (the file's name).
 */
export async function uploadInPage(page: Page, file: string): Promise<string> {
  const uploads = page.getByRole('region', { name: '上传录音' });
  await uploads.locator('input[type=file]').setInputFiles(file);
  const name = basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await uploads
    .getByRole('progressbar', { name: new RegExp(name) })
    .and(uploads.locator('[aria-valuenow="100"]'))
    .waitFor();
  await uploads.getByText('已上传，正在处理').waitFor();
  return basename(file, extname(file));
}

/** Waits until the Media page shows this item ready to air (transcoding takes a while on a busy machine). */
export async function readyInPage(page: Page, title: string): Promise<void> {
  await mediaItem(page, title).getByText('可用', { exact: true }).waitFor({ timeout: 60_000 });
}

/** Opens an empty programme builder from the navigation and names the programme. */
export async function newProgramme(page: Page, title: string): Promise<void> {
  await page.getByRole('menuitem', { name: '节目' }).click();
  await page.getByRole('button', { name: '新建节目' }).click();
  await page.getByLabel('节目名称').fill(title);
}

/** Adds a ready media item to the programme being built. */
export async function addToProgramme(page: Page, title: string): Promise<void> {
  await page.getByRole('button', { name: `加入 ${title}` }).click();
}

/** Saves the programme being built and waits for its own page. */
export async function saveProgramme(page: Page, title: string): Promise<void> {
  await page.getByRole('button', { name: /保\s*存/ }).click();
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
}

/** A headline figure of the Assessment page as shown (e.g. "75.0%", "5.3"), by its title (按时送达率, 志愿服务时长（小时）…). */
export async function assessmentFigure(page: Page, title: string): Promise<string> {
  const figure = page.getByRole('group', { name: title, exact: true }).locator('.ant-statistic-content');
  return (await figure.innerText()).replace(/\s+/g, '');
}
