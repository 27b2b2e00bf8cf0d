// The periods the county assesses: a month (月排查), quarter (季督查),
// half-year (半年总结) or year (年考核), written as the server reads them:
// 2026-11, 2026-Q4, 2026-H2, 2026.

export type PeriodKind = 'month' | 'quarter' | 'half' | 'year';
export const PERIOD_KINDS: PeriodKind[] = ['month', 'quarter', 'half', 'year'];

export interface PeriodChoice {
  kind: PeriodKind;
  year: number;
  /** The month (1–12), quarter (1–4) or half (1–2); unused for a year. */
  part: number;
}

const PARTS: Record<PeriodKind, number> = { month: 12, quarter: 4, half: 2, year: 0 };
const MONTHS_IN: Record<PeriodKind, number> = { month: 1, quarter: 3, half: 6, year: 12 };

/** The parts a kind of period has in a year: months 1–12, quarters 1–4, halves 1–2, none for a year. */
export function partsOf(kind: PeriodKind): number[] {
  return Array.from({ length: PARTS[kind] }, (_, index) => index + 1);
}

export function periodText({ kind, year, part }: PeriodChoice): string {
  if (kind === 'month') return `${year}-${String(part).padStart(2, '0')}`;
  if (kind === 'quarter') return `${year}-Q${part}`;
  if (kind === 'half') return `${year}-H${part}`;
  return String(year);
}

/** The period of this kind that holds a county date (YYYY-MM-DD). */
export function periodHolding(date: string, kind: PeriodKind): PeriodChoice {
  const month = Number(date.slice(5, 7));
  return { kind, year: Number(date.slice(0, 4)), part: Math.ceil(month / MONTHS_IN[kind]) };
}

/** Another kind of period around the same time: the quarter, half or year that holds the chosen one's first month. */
export function switchKind(choice: PeriodChoice, kind: PeriodKind): PeriodChoice {
  const firstMonth = choice.kind === 'year' ? 1 : (choice.part - 1) * MONTHS_IN[choice.kind] + 1;
  return periodHolding(`${choice.year}-${String(firstMonth).padStart(2, '0')}-01`, kind);
}

/** The years offered: this one and the four before it. */
export function recentYears(today: string): number[] {
  const year = Number(today.slice(0, 4));
  return [0, 1, 2, 3, 4].map((back) => year - back);
}
