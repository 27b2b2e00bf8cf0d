import type { components } from '../../api/schema.gen';

export type Coverage = components['schemas']['Coverage'];
export type Outcome = 'played' | 'failed' | 'interrupted' | 'missed';

/** In the order a chart stacks them: what aired first, what went wrong after. */
export const OUTCOMES: Outcome[] = ['played', 'interrupted', 'failed', 'missed'];

export type OutcomeCounts = Record<Outcome, number> & { endpoints: number };

/** Every broadcast of the day on every loudspeaker that should have aired it, by what its receipts say. */
export function coverageTotals(coverage: Coverage): OutcomeCounts {
  const totals: OutcomeCounts = { endpoints: 0, played: 0, failed: 0, interrupted: 0, missed: 0 };
  for (const { totals: item } of coverage.items) {
    totals.endpoints += item.endpoints;
    for (const outcome of OUTCOMES) totals[outcome] += item[outcome];
  }
  return totals;
}

/** Per broadcast, one bar of loudspeakers by outcome: its label and each outcome's count, in OUTCOMES order. */
export function coverageBars(coverage: Coverage, clock: (iso: string) => string) {
  return coverage.items.map((item) => ({
    label: `${clock(item.startsAt)} ${item.title}`,
    counts: OUTCOMES.map((outcome) => item.totals[outcome]),
  }));
}
