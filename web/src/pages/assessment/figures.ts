import type { components } from '../../api/schema.gen';

export type Assessment = components['schemas']['Assessment'];
export type Figures = Assessment['figures'];
export type AssessedChild = Assessment['children'][number];

/** The four rates the score is the mean of, in the order the page shows them. */
export const RATES = ['broadcast', 'loudspeakers', 'orders', 'satisfaction'] as const;
export type RateName = (typeof RATES)[number];

export function rateOf(figures: Figures, rate: RateName): number | null {
  return figures[rate].rate;
}

/** 0.4167 → "41.7%"; nothing to count → "—". */
export function percent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/** A rate as a chart's value, in percent (null stays a gap). */
export function chartPercent(rate: number | null): number | null {
  return rate === null ? null : Math.round(rate * 1000) / 10;
}

/** The ranked regions (best first), then the unranked; as the server orders them. */
export function rankingBars(children: AssessedChild[]) {
  const ranked = children.filter((child) => child.rank !== null);
  return {
    categories: ranked.map((child) => `${child.rank}. ${child.region.name}`),
    values: ranked.map((child) => chartPercent(child.figures.score)),
  };
}

/** What a screen reader hears for the ranking: "1. 东岭镇 68.1%；2. 西河乡 45.3%". */
export function rankingSummary(children: AssessedChild[]): string {
  return children
    .filter((child) => child.rank !== null)
    .map((child) => `${child.rank}. ${child.region.name} ${percent(child.figures.score)}`)
    .join('；');
}

/** Each region's four rates, for a screen reader: "东岭镇：播出率 66.7%，…". */
export function ratesSummary(children: AssessedChild[], names: Record<RateName, string>): string {
  return children
    .map(
      (child) =>
        `${child.region.name}：${RATES.map((rate) => `${names[rate]} ${percent(rateOf(child.figures, rate))}`).join('，')}`,
    )
    .join('；');
}
