import { addDays, countyInstant, isLocalDate, type LocalDate } from '../../kernel/county-time';

// The county checks the ledger by month (月排查), inspects by quarter (季督查),
// sums up by half-year in some counties (半年总结) and assesses by year
// (年考核): periods are spans of county dates.

export interface Period {
  kind: 'month' | 'quarter' | 'half' | 'year';
  /** As written: 2026-11, 2026-Q4, 2026-H2, 2026. */
  label: string;
  first: LocalDate;
  last: LocalDate;
}

export class BadPeriod extends Error {}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDayOfMonth = (year: number, month: number): LocalDate =>
  addDays(`${month === 12 ? year + 1 : year}-${pad(month === 12 ? 1 : month + 1)}-01`, -1);

/** 2026-11 (a month), 2026-Q4 (a quarter), 2026-H2 (a half-year) or 2026 (a year). */
export function parsePeriod(text: string): Period {
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text);
  if (month) {
    const [year, m] = [Number(month[1]), Number(month[2])];
    return { kind: 'month', label: text, first: `${month[1]}-${month[2]}-01`, last: lastDayOfMonth(year, m) };
  }
  const quarter = /^(\d{4})-Q([1-4])$/i.exec(text);
  if (quarter) {
    const [year, q] = [Number(quarter[1]), Number(quarter[2])];
    return {
      kind: 'quarter',
      label: `${quarter[1]}-Q${q}`,
      first: `${quarter[1]}-${pad(q * 3 - 2)}-01`,
      last: lastDayOfMonth(year, q * 3),
    };
  }
  const half = /^(\d{4})-H([12])$/i.exec(text);
  if (half) {
    const [year, h] = [Number(half[1]), Number(half[2])];
    return {
      kind: 'half',
      label: `${half[1]}-H${h}`,
      first: `${half[1]}-${pad(h * 6 - 5)}-01`,
      last: lastDayOfMonth(year, h * 6),
    };
  }
  if (/^\d{4}$/.test(text)) return { kind: 'year', label: text, first: `${text}-01-01`, last: `${text}-12-31` };
  throw new BadPeriod(
    `"${text}" is not a period: write a month (2026-11), a quarter (2026-Q4), a half-year (2026-H1) or a year (2026)`,
  );
}

/** The months a period spans, YYYY-MM. */
export function monthsOf(period: Period): string[] {
  const months: string[] = [];
  for (
    let date = period.first;
    date <= period.last;
    date = addDays(lastDayOfMonth(Number(date.slice(0, 4)), Number(date.slice(5, 7))), 1)
  )
    months.push(date.slice(0, 7));
  return months;
}

/** From the start of the first county date to the end of the last one (exclusive), as instants. */
export function countyDayRange(first?: LocalDate, last?: LocalDate): { from?: Date; to?: Date } {
  for (const date of [first, last])
    if (date !== undefined && !isLocalDate(date)) throw new BadPeriod(`${date} is not a date (YYYY-MM-DD)`);
  return {
    ...(first ? { from: countyInstant(first, 0) } : {}),
    ...(last ? { to: countyInstant(addDays(last, 1), 0) } : {}),
  };
}
