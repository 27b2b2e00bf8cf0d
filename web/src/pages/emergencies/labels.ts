import type { Translate } from '../../i18n/i18n';
import type { AlertStatus } from './approval';
import type { MessageKey } from './messages';
import { severityOfLevel } from './severity';

export const STATUS_KEY: Record<AlertStatus, MessageKey> = {
  draft: 'statusDraft',
  approved: 'statusApproved',
  active: 'statusActive',
  ended: 'statusEnded',
  cancelled: 'statusCancelled',
  superseded: 'statusSuperseded',
};

export const CATEGORY_KEY: Record<string, MessageKey> = {
  flood: 'catFlood',
  geological: 'catGeological',
  earthquake: 'catEarthquake',
  fire: 'catFire',
  weather: 'catWeather',
  'public-health': 'catPublicHealth',
  'public-security': 'catPublicSecurity',
  other: 'catOther',
};

const AUDIT_KEY: Record<string, MessageKey> = {
  drafted: 'actionDrafted',
  approved: 'actionApproved',
  activated: 'actionActivated',
  cancelled: 'actionCancelled',
  expired: 'actionExpired',
  superseded: 'actionSuperseded',
  ended: 'actionEnded',
};

/** An action the page has no words for yet is shown as the server names it, not hidden. */
export const auditAction = (t: Translate<MessageKey>, action: string) =>
  AUDIT_KEY[action] ? t(AUDIT_KEY[action]) : action;

export const categoryName = (t: Translate<MessageKey>, category: string) =>
  CATEGORY_KEY[category] ? t(CATEGORY_KEY[category]) : category;

/** "红色预警 · I级 特别重大": colour and grade in words, never the colour alone. */
export function severityText(t: Translate<MessageKey>, level: number): string {
  const severity = severityOfLevel(level);
  return t('severityTag', {
    colour: t(severity.colour),
    roman: severity.roman,
    grade: t(`grade${severity.level}`),
  });
}
