// Who hears of a notification, and when a webhook may be told. Pure rules:
// the built-in defaults, quiet hours in county time, the answer of a webhook.
import { countyDate, countyInstant, addDays } from '../../kernel/county-time';

export const NOTIFICATION_KINDS = [
  'alert_awaiting_approval',
  'readiness_problems',
  'endpoint_offline',
  'endpoint_fault',
  'order_deadline',
  'order_escalated',
  'ebd_link_down',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export type AudienceRole = 'admin' | 'operator' | 'approver' | 'lecturer';

/**
 * Who sees each kind in the console when no rule of a region above it says
 * otherwise: an alert waits for an approver; everything else is for the
 * people who run the loudspeakers and the orders (operators) and admins.
 */
export const DEFAULT_AUDIENCE: Record<NotificationKind, readonly AudienceRole[]> = {
  alert_awaiting_approval: ['approver'],
  readiness_problems: ['operator', 'admin'],
  endpoint_offline: ['operator', 'admin'],
  endpoint_fault: ['operator', 'admin'],
  order_deadline: ['operator', 'admin'],
  order_escalated: ['operator', 'admin'],
  ebd_link_down: ['operator', 'admin'],
};

/** An approval cannot wait for the morning: quiet hours never hold it. */
export const IGNORES_QUIET_HOURS: ReadonlySet<NotificationKind> = new Set(['alert_awaiting_approval']);

/** The roles that see a notification: those of the rules that apply, or the default when none does. */
export function audienceOf(
  kind: NotificationKind,
  rules: ReadonlyArray<{ roles: readonly AudienceRole[] }>,
): AudienceRole[] {
  if (!rules.length) return [...DEFAULT_AUDIENCE[kind]];
  return [...new Set(rules.flatMap((rule) => rule.roles))].sort();
}

/**
 * When quiet hours that are on at `now` end, or null when they are not on.
 * From and until are minutes after midnight in county time; a window whose
 * end is before its start runs past midnight (22:00–07:00).
 */
export function quietUntil(now: Date, from: number | null, until: number | null): Date | null {
  if (from === null || until === null || from === until) return null;
  const today = countyDate(now);
  const minute = Math.floor((now.getTime() - countyInstant(today, 0).getTime()) / 60_000);
  if (from < until) return minute >= from && minute < until ? countyInstant(today, until) : null;
  if (minute >= from) return countyInstant(addDays(today, 1), until);
  if (minute < until) return countyInstant(today, until);
  return null;
}

export type Answer = 'delivered' | 'failed' | 'retry';

/**
 * What a webhook's HTTP status means: 2xx took it; a 4xx (bar 408 and 429,
 * which say "later") and a redirect will not change by sending again; the
 * rest (5xx, anything odd) is tried again.
 */
export function answerOf(status: number): Answer {
  if (status >= 200 && status < 300) return 'delivered';
  if (status >= 300 && status < 400) return 'failed';
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return 'failed';
  return 'retry';
}

const RETRY_FIRST_MS = 3_000;
const RETRY_MAX_MS = 10 * 60_000;

/** The wait before the next attempt after `attempts` failed ones: 3 s, 6 s, 12 s … at most 10 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.max(0, attempts - 1));
}
