import type { components } from '../../api/schema.gen';

export type DeliveryReport = components['schemas']['EmergencyDelivery'];
type Counts = DeliveryReport['totals'];

export interface DeliveryRow {
  code: string;
  name: string;
  endpoints: number;
  pushed: number;
  acknowledged: number;
  played: number;
  failed: number;
  notReached: number;
  /** Played out of the region's loudspeakers, 0–100, for a progress bar. */
  playedPercent: number;
  /** Every loudspeaker has played it. */
  complete: boolean;
}

const percent = (part: number, whole: number) => (whole ? Math.round((part * 100) / whole) : 0);

function row(counts: Counts, code: string, name: string): DeliveryRow {
  return {
    code,
    name,
    ...counts,
    playedPercent: percent(counts.played, counts.endpoints),
    complete: counts.endpoints > 0 && counts.played === counts.endpoints,
  };
}

/**
 * Per region as the watch officer reads it: the regions still short of
 * loudspeakers that played first (they need a phone call), then by name;
 * and the county's total.
 */
export function deliveryRows(
  report: DeliveryReport,
  totalName: string,
): { regions: DeliveryRow[]; total: DeliveryRow } {
  const regions = report.regions
    .map((region) => row(region, region.code, region.name))
    .sort((a, b) => Number(a.complete) - Number(b.complete) || a.name.localeCompare(b.name, 'zh-CN'));
  return { regions, total: row(report.totals, 'total', totalName) };
}
