import { integer } from './config-values';

/** Outbound notifications (docs/notifications.md), from the NOTIFY_* settings. */
export interface NotificationConfig {
  /** How long one POST to a webhook may take. */
  webhookTimeoutSeconds: number;
  /** After how long a delivery that keeps failing is given up. */
  webhookGiveUpHours: number;
  /** Deliveries one rule sends alone per hour; the rest wait and go as one digest. */
  webhookHourlyCap: number;
  /** How long before an order's 72-hour deadline its dispatcher is warned. */
  orderDeadlineWarningHours: number;
}

/** The NOTIFY_* variables, spread into the environment schema. */
export const NOTIFICATION_ENVIRONMENT = {
  NOTIFY_WEBHOOK_TIMEOUT_SECONDS: integer(1, 120).default(10),
  NOTIFY_WEBHOOK_GIVE_UP_HOURS: integer(1, 24 * 7).default(24),
  NOTIFY_WEBHOOK_HOURLY_CAP: integer(1, 10_000).default(10),
  NOTIFY_ORDER_DEADLINE_WARNING_HOURS: integer(1, 71).default(12),
};

export function notificationConfig(e: {
  NOTIFY_WEBHOOK_TIMEOUT_SECONDS: number;
  NOTIFY_WEBHOOK_GIVE_UP_HOURS: number;
  NOTIFY_WEBHOOK_HOURLY_CAP: number;
  NOTIFY_ORDER_DEADLINE_WARNING_HOURS: number;
}): NotificationConfig {
  return {
    webhookTimeoutSeconds: e.NOTIFY_WEBHOOK_TIMEOUT_SECONDS,
    webhookGiveUpHours: e.NOTIFY_WEBHOOK_GIVE_UP_HOURS,
    webhookHourlyCap: e.NOTIFY_WEBHOOK_HOURLY_CAP,
    orderDeadlineWarningHours: e.NOTIFY_ORDER_DEADLINE_WARNING_HOURS,
  };
}
