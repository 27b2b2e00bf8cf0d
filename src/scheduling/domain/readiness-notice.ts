import type { NotReadyReason } from './reconciliation';

// What the county is told when the 17:00 check finds endpoints that would
// not air on their own: one message naming the villages, as the console says it.

const REASON_NAMES: Record<NotReadyReason, string> = {
  offline: '离线',
  'playlist-not-fetched': '未取节目单',
  'playlist-outdated': '节目单不是最新',
  'media-missing': '缺素材',
};
/** Villages (or the townships and the county, where they hold endpoints) named in full; the rest counted: an SMS cannot carry 500 names. */
const VILLAGES_NAMED = 20;

export interface TroubledRegion {
  name: string;
  total: number;
  ready: number;
  byReason: Record<NotReadyReason, number>;
}

export function readinessNotice(date: string, notReady: number, regions: TroubledRegion[]) {
  const named = regions.slice(0, VILLAGES_NAMED).map((region) => {
    const reasons = (Object.keys(REASON_NAMES) as NotReadyReason[])
      .filter((reason) => region.byReason[reason] > 0)
      .map((reason) => `${REASON_NAMES[reason]} ${region.byReason[reason]}`);
    return `${region.name}（${region.total - region.ready}/${region.total} 台：${reasons.join('，')}）`;
  });
  const more = regions.length > VILLAGES_NAMED ? `，另有 ${regions.length - VILLAGES_NAMED} 处` : '';
  return {
    title: `${date} 播出前检查：${regions.length} 处 ${notReady} 台喇叭未就绪`,
    body: `${named.join('；')}${more}。`,
  };
}
