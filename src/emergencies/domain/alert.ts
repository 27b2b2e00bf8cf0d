import { countyDate, countyIso, type LocalDate } from '../../kernel/county-time';
import type { AlertEvent } from '../../infra/redis/event-bus';
import type { PlaylistItem, Preemption } from '../../scheduling/domain/playlist';
import { MEDIA_MIME } from '../../scheduling/domain/playlist';

// An emergency alert's life and how it preempts the routine rundown. Plain
// functions over plain rows, shared by the API, the dispatcher and the compiler.

/** China's four emergency levels: 1 = I 特别重大 red, 2 = II 重大 orange, 3 = III 较大 yellow, 4 = IV 一般 blue. */
export type AlertLevel = 1 | 2 | 3 | 4;
export const ALERT_CATEGORIES = [
  'flood',
  'geological',
  'earthquake',
  'fire',
  'weather',
  'public-health',
  'public-security',
  'other',
] as const;
export type AlertCategory = (typeof ALERT_CATEGORIES)[number];

export type AlertStatus = 'draft' | 'approved' | 'active' | 'ended' | 'cancelled' | 'superseded';

/** GY/T 383–389-2023 levels: I is the gravest. */
export const LEVEL_NAMES: Record<AlertLevel, string> = {
  1: 'I 特别重大 (red)',
  2: 'II 重大 (orange)',
  3: 'III 较大 (yellow)',
  4: 'IV 一般 (blue)',
};

/** The same in the words of 《国家突发公共事件总体应急预案》, for messages people read on a phone. */
export const LEVEL_NAMES_ZH: Record<AlertLevel, string> = {
  1: 'Ⅰ级（特别重大，红色）',
  2: 'Ⅱ级（重大，橙色）',
  3: 'Ⅲ级（较大，黄色）',
  4: 'Ⅳ级（一般，蓝色）',
};

// Every alert outranks everything scheduled; a graver one outranks a lesser.
const EMERGENCY_PRIORITY = 100;
export const alertPriority = (level: number) => EMERGENCY_PRIORITY + (4 - level);

/** Playlist item ids of alerts: a receipt for one names the alert. */
export const alertItemId = (alertId: string) => `emergency:${alertId}`;
const ALERT_ITEM = /^emergency:([0-9a-f-]{36})$/;
export const alertIdOfItem = (itemId: string): string | null => ALERT_ITEM.exec(itemId)?.[1] ?? null;

/** Who may know an approver's password and who set their access: an admin who did is not independent of them. */
export interface ApproverAccount {
  id: string;
  /**
   * The admin who chose the current password (creation or reset), the admin
   * who chose that admin's, and so on up to someone who chose their own: each
   * can sign in as the approver.
   */
  passwordKnownBy: readonly string[];
  /** The admin who last created, re-enabled, or changed the role or scope of the account, and when. */
  accessChangedById: string | null;
  accessChangedAt: Date | null;
}

/** How long an admin who gave an account its access may not have their alerts approved by it. */
export const INDEPENDENCE_HOURS = 24;

/**
 * What a draft may still become, and who may do what to it: the transitions the API allows.
 * "Approved by someone else" must mean another person: not an account whose
 * password the drafter chose (they can sign in as it), nor the one who chose
 * the drafter's (they could have drafted as it), nor one the drafter
 * made an approver within the last day (a fresh account for the purpose).
 */
export function refusalToApprove(
  alert: { status: AlertStatus; draftedById: string; expiresAt: Date },
  approver: ApproverAccount,
  now: Date,
  /** Who may know the drafter's password (as passwordKnownBy): they could have drafted it themselves. */
  drafterPasswordKnownBy: readonly string[],
): string | null {
  if (alert.status !== 'draft') return `only a draft can be approved; this alert is ${alert.status}`;
  if (alert.draftedById === approver.id) return 'the drafter of an alert may not approve it: another approver must';
  if (drafterPasswordKnownBy.includes(approver.id)) {
    return "you set the password of this alert's drafter (or of the admin who set it), so you could have drafted it yourself: another approver must";
  }
  if (approver.passwordKnownBy.includes(alert.draftedById)) {
    return "the drafter of this alert set your account's password (or that of the admin who set it), so it cannot approve their alerts until you choose your own: another approver must";
  }
  const sinceAccessChange = approver.accessChangedAt && now.getTime() - approver.accessChangedAt.getTime();
  if (
    alert.draftedById === approver.accessChangedById &&
    sinceAccessChange !== null &&
    sinceAccessChange < INDEPENDENCE_HOURS * 3600_000
  ) {
    return `the drafter of this alert created your account or gave it its access within the last ${INDEPENDENCE_HOURS} hours, so it cannot approve their alerts yet: another approver must`;
  }
  if (alert.expiresAt <= now) return `the alert expired at ${alert.expiresAt.toISOString()} before it was approved`;
  return null;
}

export function refusalToCancel(alert: { status: AlertStatus }): string | null {
  return ['draft', 'approved', 'active'].includes(alert.status)
    ? null
    : `the alert has already ${alert.status === 'superseded' ? 'been superseded' : alert.status}`;
}

/** The county dates an alert is live on (from its start to the instant before it expires). */
export function alertSpans(alert: { startsAt: Date; expiresAt: Date }, date: LocalDate): boolean {
  return countyDate(alert.startsAt) <= date && date <= countyDate(new Date(alert.expiresAt.getTime() - 1));
}

export interface LiveAlert {
  id: string;
  title: string;
  level: number;
  category: string;
  drill: boolean;
  startsAt: Date;
  expiresAt: Date;
  repeat: number;
  regionCodes: string[];
  media: { sha256: string; bytes: number; durationMs: number };
}

/**
 * The playlist item of a live alert: ahead of everything scheduled, starting
 * at its start, as long as its repeats. A drill says so in its title too, so
 * no one can mistake it for a real alert on any screen or log.
 */
export function alertPlaylistItem(
  alert: LiveAlert,
  mediaUrl: (sha256: string) => string,
): PlaylistItem & { media: NonNullable<PlaylistItem['media']> } {
  return {
    id: alertItemId(alert.id),
    kind: 'emergency',
    title: alert.drill ? `【演练 DRILL】${alert.title}` : alert.title,
    startsAt: countyIso(alert.startsAt),
    durationMs: alert.media.durationMs * alert.repeat,
    priority: alertPriority(alert.level),
    media: {
      url: mediaUrl(alert.media.sha256),
      sha256: alert.media.sha256,
      bytes: alert.media.bytes,
      mime: MEDIA_MIME,
    },
    alert: {
      level: alert.level,
      category: alert.category,
      drill: alert.drill,
      repeat: alert.repeat,
      expiresAt: countyIso(alert.expiresAt),
    },
  };
}

/**
 * What a device is told over its event stream when the alert goes live: the
 * playlist item it will air, so the push and the playlist never disagree.
 */
export function alertEvent(alert: LiveAlert, mediaUrl: (sha256: string) => string): AlertEvent {
  const item = alertPlaylistItem(alert, mediaUrl);
  return {
    id: alert.id,
    itemId: item.id,
    title: alert.title,
    level: alert.level,
    category: alert.category,
    drill: alert.drill,
    startsAt: item.startsAt,
    expiresAt: item.alert!.expiresAt,
    repeat: alert.repeat,
    durationMs: item.durationMs,
    priority: item.priority,
    media: item.media,
  };
}

/** The alert as it preempts playlists: its item, in the regions it targets, on the dates it spans. */
export function alertPreemption(alert: LiveAlert, mediaUrl: (sha256: string) => string): Preemption {
  return {
    id: alert.id,
    regionCodes: alert.regionCodes,
    airsOn: (date) => alertSpans(alert, date),
    item: alertPlaylistItem(alert, mediaUrl),
  };
}
