import type { QuotaLimits } from '../../infra/config/config';
import { addDays, countyDate, countyInstant, countyIso } from '../../kernel/county-time';

/** What an author, or everyone in a scope, has processing now and has sent since the county day began. */
export interface MediaUsage {
  queued: number;
  bytesToday: number;
  charsToday: number;
}

/** What one more media item asks for: one job, plus its upload bytes or its text's characters. */
export interface MediaCost {
  bytes: number;
  chars: number;
}

type Holder = 'user' | 'scope';
type Quota = 'queued' | 'bytesPerDay' | 'charsPerDay';

export interface QuotaExceeded {
  holder: Holder;
  quota: Quota;
  limit: number;
  used: number;
  /** When the daily quota starts afresh; null for jobs at once, which free up as they finish. */
  resetsAt: Date | null;
  variable: string;
  message: string;
}

const VARIABLES: Record<Holder, Record<Quota, string>> = {
  user: { queued: 'MEDIA_QUOTA_USER_QUEUED', bytesPerDay: 'MEDIA_QUOTA_USER_BYTES_PER_DAY', charsPerDay: 'TTS_QUOTA_USER_CHARS_PER_DAY' },
  scope: { queued: 'MEDIA_QUOTA_SCOPE_QUEUED', bytesPerDay: 'MEDIA_QUOTA_SCOPE_BYTES_PER_DAY', charsPerDay: 'TTS_QUOTA_SCOPE_CHARS_PER_DAY' },
};

/** Daily quotas run by the county day: they start afresh at midnight, county time. */
export function countyDayBounds(now: Date): { start: Date; end: Date } {
  const today = countyDate(now);
  return { start: countyInstant(today, 0), end: countyInstant(addDays(today, 1), 0) };
}

/** The first quota (the author's before the scope's) that one more item of this cost would pass, or null. */
export function exceededQuota(
  limits: { user: QuotaLimits; scope: QuotaLimits },
  usage: { user: MediaUsage; scope: MediaUsage },
  cost: MediaCost,
  now: Date,
): QuotaExceeded | null {
  const resetsAt = countyDayBounds(now).end;
  for (const holder of ['user', 'scope'] as const) {
    const limit = limits[holder];
    const used = usage[holder];
    const whose = holder === 'user' ? 'You have' : 'Your scope has';
    const variable = (quota: Quota) => VARIABLES[holder][quota];
    if (used.queued + 1 > limit.queued) {
      return {
        holder, quota: 'queued', limit: limit.queued, used: used.queued, resetsAt: null, variable: variable('queued'),
        message: `${whose} ${used.queued} media items still processing, the most allowed at once (${variable('queued')}); send more once some are ready`,
      };
    }
    if (cost.bytes > 0 && used.bytesToday + cost.bytes > limit.bytesPerDay) {
      return {
        holder, quota: 'bytesPerDay', limit: limit.bytesPerDay, used: used.bytesToday, resetsAt, variable: variable('bytesPerDay'),
        message: `${whose} uploaded ${used.bytesToday} of the ${limit.bytesPerDay} bytes allowed a day (${variable('bytesPerDay')}); this upload does not fit. It resets at ${countyIso(resetsAt)}`,
      };
    }
    if (cost.chars > 0 && used.charsToday + cost.chars > limit.charsPerDay) {
      return {
        holder, quota: 'charsPerDay', limit: limit.charsPerDay, used: used.charsToday, resetsAt, variable: variable('charsPerDay'),
        message: `${whose} sent ${used.charsToday} of the ${limit.charsPerDay} text-to-speech characters allowed a day (${variable('charsPerDay')}); these ${cost.chars} do not fit. It resets at ${countyIso(resetsAt)}`,
      };
    }
  }
  return null;
}

/** Upload bytes still allowed today: the smaller of what the author and the scope have left. */
export function bytesLeftToday(limits: { user: QuotaLimits; scope: QuotaLimits }, usage: { user: MediaUsage; scope: MediaUsage }): number {
  return Math.max(0, Math.min(limits.user.bytesPerDay - usage.user.bytesToday, limits.scope.bytesPerDay - usage.scope.bytesToday));
}
