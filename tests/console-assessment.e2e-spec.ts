import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { startApp, type TestApp } from './helpers/app';
import { COUNTY, MONTH, seedAssessmentMonth, type AssessmentMonth } from './helpers/assessment-month';
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
import { assessmentFigure } from './helpers/console-steps';

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

/** The Assessment page over a seeded month: the county's figures, its townships ranked, the CSV, on a desk and a phone. */
describe('web console: the assessment', () => {
  let t: TestApp;
  let browser: Browser;
  let seeded: AssessmentMonth;

  beforeAll(async () => {
    t = await startApp();
    seeded = await seedAssessmentMonth(t);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it.each([
    ['desk', DESKTOP],
    ['phone', PHONE],
  ])('shows the month’s figures and ranks the townships (%s)', async (name, viewport) => {
    const { body: expected } = await t.api.get(`/api/v1/assessments?region=${COUNTY}&period=${MONTH}`, {
      token: seeded.county,
    });
    const context = await openContext(browser, t, viewport);
    try {
      const page = await context.newPage();
      await signIn(page, 'kh-county', 'kh-county-password');
      await page.goto('/assessment');
      await page.getByRole('heading', { name: `考核县 · ${MONTH}` }).waitFor();

      const f = expected.figures;
      expect(await assessmentFigure(page, '按时送达率')).toBe(percent(f.orders.rate));
      expect(await assessmentFigure(page, '满意率')).toBe(percent(f.satisfaction.rate));
      expect(await assessmentFigure(page, '17:30 播出率')).toBe(percent(f.broadcast.rate));
      expect(await assessmentFigure(page, '志愿服务人次')).toBe(String(f.volunteers.participations));
      expect(await assessmentFigure(page, '志愿服务时长（小时）')).toBe(f.volunteers.hours.toFixed(1));
      await page
        .getByRole('group', { name: '17:30 播出率' })
        .getByText(`播出 ${f.broadcast.airedDays} / 应播 ${f.broadcast.scheduledDays} 村日`)
        .waitFor();

      // The ranking: in the table and said by the chart, best first.
      const ranking = page.getByRole('region', { name: '各乡镇（街道）排名' });
      const rows = ranking.locator('tbody tr.ant-table-row');
      await rows.first().waitFor();
      const shown = (await rows.allInnerTexts()).map((row) => row.split(/\t|\n/).filter(Boolean).slice(0, 3));
      expect(shown).toEqual(
        expected.children.map((child: any) => [String(child.rank), child.region.name, percent(child.figures.score)]),
      );
      const [first, second] = expected.children;
      await page
        .getByRole('img', {
          name: `综合得分排名：1. ${first.region.name} ${percent(first.figures.score)}；${second.rank}. ${second.region.name} ${percent(second.figures.score)}`,
        })
        .waitFor();

      expect(await seriousA11yViolations(page)).toEqual([]);
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, name === 'desk' ? 'assessment' : 'assessment-phone');

      if (viewport === DESKTOP) {
        // The download is a plain link: the browser's session cookie carries it.
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('link', { name: /下载 CSV/ }).click(),
        ]);
        expect(download.suggestedFilename()).toBe(`考核县 新时代文明实践考核（月度排查 ${MONTH}）.csv`);
        const csv = readFileSync(await download.path(), 'utf8');
        const county = csv.split('\r\n').find((line) => line.startsWith('合计,'))!;
        expect(county.split(',').slice(1, 3)).toEqual(['考核县', COUNTY]);

        // The half-year holding the month: nothing else happened in it, so the same figures.
        await page.getByLabel('考核周期').click();
        await page.locator('.ant-select-item-option', { hasText: '半年' }).click();
        const half = `${MONTH.slice(0, 4)}-H${Number(MONTH.slice(5)) <= 6 ? 1 : 2}`;
        await page.getByRole('heading', { name: `考核县 · ${half}` }).waitFor();
        expect(await assessmentFigure(page, '按时送达率')).toBe(percent(f.orders.rate));
      }
    } finally {
      await context.close();
    }
  });
});
