import type { components } from '../../api/schema.gen';
import type { Tone } from '../../components/status-tag';
import type { NotificationMessageKey } from './messages';

export type NotificationItem = components['schemas']['NotificationPage']['items'][number];
export type Kind = NotificationItem['kind'];
export type Delivery = components['schemas']['WebhookDeliveryList']['items'][number];

/** How often the list and the bell look for new notifications (the server's outbox is the truth; a poll is enough). */
export const POLL_MS = 5_000;

export const KINDS: Kind[] = [
  'alert_awaiting_approval',
  'readiness_problems',
  'endpoint_offline',
  'endpoint_fault',
  'order_deadline',
  'order_escalated',
  'ebd_link_down',
];

export const kindKey = (kind: Kind): NotificationMessageKey => `kind_${kind}`;

export const DELIVERY_TONES: Record<Delivery['status'], Tone> = {
  pending: 'warn',
  held: 'idle',
  digested: 'good',
  delivered: 'good',
  failed: 'bad',
  given_up: 'bad',
};

export const statusKey = (status: Delivery['status']): NotificationMessageKey => `status_${status}`;

/** What the server accepts as a webhook URL: http(s), no user name or password in it. */
export function webhookUrlOk(text: string): boolean {
  try {
    const url = new URL(text.trim());
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
  } catch {
    return false;
  }
}
