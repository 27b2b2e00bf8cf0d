import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { NotificationKind, NotificationRule, Prisma, Webhook } from '../generated/prisma/client';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { JobHandler } from '../infra/queue/job-handler.decorator';
import { JobQueue } from '../infra/queue/job-queue.service';
import { JobName, JobPayloads, webhookDeliveryJobId } from '../infra/queue/jobs';
import { answerOf, IGNORES_QUIET_HOURS, quietUntil, retryDelayMs } from './domain/rules';
import { signature, webhookBody, type WebhookMessage } from './domain/webhook-request';
import { NotificationsRepository } from './notifications.repository';
import { PeriodicTask } from '../infra/schedule/periodic-task';

// Due deliveries and released holds are looked for this often: a delivery
// queued while Redis was away, or whose retry time came, goes within this.
const SWEEP_MS = 2_000;
const SWEEP_BATCH = 100;
const HOUR_MS = 3600_000;
// The delivery log keeps finished rows this long; pruned once an hour by each API process.
const LOG_KEPT_MS = 30 * 24 * HOUR_MS;
const ERROR_MAX = 500;

type PlannedDelivery = Omit<Prisma.WebhookDeliveryUncheckedCreateWithoutNotificationInput, 'notificationId'>;

/** What one POST to a webhook answered: an HTTP status, or why there was none. */
export interface Attempt {
  status: number | null;
  error: string | null;
}

/**
 * Notifications going out to webhooks, with Postgres as the outbox: a row per
 * notification and webhook, written with the notification; a worker POSTs it
 * and records the answer; retries are spaced in the row, so they survive a
 * restart; a sweep in every API process queues the rows that are due (one
 * whose job Redis lost is sent all the same) and releases held rows as one
 * digest per webhook when quiet hours end or the hourly cap allows.
 */
@Injectable()
export class WebhookOutbox implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('WebhookOutbox');
  private readonly sweeps = new PeriodicTask('webhook outbox sweep', this.logger, () => this.sweep());
  private prunedAt = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly notifications: NotificationsRepository,
    private readonly jobs: JobQueue,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.role === 'worker') return;
    this.sweeps.start(SWEEP_MS);
  }

  async onModuleDestroy(): Promise<void> {
    await this.sweeps.stop();
  }

  /**
   * The deliveries a new notification makes: one per webhook its rules name
   * (the first rule naming a webhook decides). Held until quiet hours end, or
   * until an hour after the oldest delivery the rule sent alone in the last
   * hour once it has sent its cap; sent at once otherwise.
   */
  async plan(kind: NotificationKind, rules: NotificationRule[], now: Date): Promise<PlannedDelivery[]> {
    const planned = new Map<string, PlannedDelivery>();
    for (const rule of rules) {
      if (!rule.webhookId || planned.has(rule.webhookId)) continue;
      const quietEnds = IGNORES_QUIET_HOURS.has(kind) ? null : quietUntil(now, rule.quietFrom, rule.quietUntil);
      const sent = quietEnds ? [] : await this.notifications.sentAloneSince(rule.id, new Date(now.getTime() - HOUR_MS));
      const capEnds =
        sent.length >= this.config.notifications.webhookHourlyCap
          ? new Date(sent[0].createdAt.getTime() + HOUR_MS)
          : null;
      const releaseAt = quietEnds ?? capEnds;
      planned.set(rule.webhookId, {
        webhookId: rule.webhookId,
        ruleId: rule.id,
        status: releaseAt ? 'held' : 'pending',
        releaseAt,
        nextAttemptAt: releaseAt ?? now,
      });
    }
    return [...planned.values()];
  }

  /** Queues the pending ones of these deliveries; should Redis be away, the sweep queues them later. */
  async queue(deliveries: ReadonlyArray<{ id: string; attempts: number; status: string }>): Promise<void> {
    for (const delivery of deliveries.filter((row) => row.status === 'pending'))
      await this.enqueue(delivery).catch((error: Error) =>
        this.logger.warn(`delivery ${delivery.id} is stored but not queued yet (${error.message}); the sweep will`),
      );
  }

  private enqueue(row: { id: string; attempts: number }): Promise<boolean> {
    return this.jobs.ensure(JobName.DeliverWebhook, { deliveryId: row.id }, webhookDeliveryJobId(row.id, row.attempts));
  }

  private async sweep(): Promise<void> {
    const now = new Date();
    for (const webhookId of await this.notifications.released(now)) {
      const released = await this.notifications.releaseHeld(webhookId, now);
      if (released) await this.enqueue(released);
    }
    for (const row of await this.notifications.due(now, SWEEP_BATCH)) await this.enqueue(row);
    if (now.getTime() - this.prunedAt >= HOUR_MS) {
      await this.notifications.pruneDeliveries(new Date(now.getTime() - LOG_KEPT_MS));
      this.prunedAt = now.getTime();
    }
  }

  @JobHandler(JobName.DeliverWebhook)
  async deliver({ deliveryId }: JobPayloads[JobName.DeliverWebhook]) {
    const row = await this.notifications.delivery(deliveryId);
    if (!row || row.status !== 'pending') return { skipped: 'not pending' };
    const message = row.notification
      ? messageOf(row.notification)
      : digestOf(
          row.id,
          row.webhook,
          row.createdAt,
          row.digested.flatMap((held) => held.notification ?? []),
        );
    const attempt = await this.post(row.webhook, message, row.id);
    const now = new Date();
    const answer = attempt.status === null ? 'retry' : answerOf(attempt.status);
    const attempts = row.attempts + 1;
    const outcome = { attempts, lastStatus: attempt.status, lastError: attempt.error };
    if (answer === 'delivered')
      await this.notifications.recordAttempt(row.id, { ...outcome, status: 'delivered', deliveredAt: now });
    else if (answer === 'failed') await this.notifications.recordAttempt(row.id, { ...outcome, status: 'failed' });
    else if (now.getTime() - row.createdAt.getTime() > this.config.notifications.webhookGiveUpHours * HOUR_MS)
      await this.notifications.recordAttempt(row.id, { ...outcome, status: 'given_up' });
    else
      await this.notifications.recordAttempt(row.id, {
        ...outcome,
        nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)),
      });
    // The URL may carry a relay's token in its query: only the host is logged, and never the secret.
    this.logger.log(
      `delivery ${row.id} to ${new URL(row.webhook.url).host}: ${attempt.status ?? attempt.error} (${answer})`,
    );
    return { answer, status: attempt.status };
  }

  /**
   * One signed POST. Redirects are not followed (a 3xx is refused like a 4xx):
   * a webhook that moved is fixed by its admin, and a signed message never goes
   * to a host nobody configured.
   */
  async post(webhook: Webhook, message: WebhookMessage, deliveryId: string): Promise<Attempt> {
    const { contentType, body } = webhookBody(webhook.format, message);
    const timestamp = String(Math.floor(Date.now() / 1000));
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': `${contentType}; charset=utf-8`,
          'user-agent': 'Dalaba-Webhook/1',
          'x-dalaba-signature': signature(webhook.secret, timestamp, body),
          'x-dalaba-timestamp': timestamp,
          'x-dalaba-delivery': deliveryId,
        },
        body,
        signal: AbortSignal.timeout(this.config.notifications.webhookTimeoutSeconds * 1000),
      });
      await response.body?.cancel();
      const redirected = response.status >= 300 && response.status < 400;
      return {
        status: response.status,
        error:
          response.status >= 200 && response.status < 300
            ? null
            : redirected
              ? `answered with a redirect (HTTP ${response.status}); redirects are not followed, set the final URL`
              : `answered HTTP ${response.status}`,
      };
    } catch (error) {
      const reason =
        error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      return { status: null, error: reason.slice(0, ERROR_MAX) };
    }
  }
}

/** What a webhook is told of one notification. */
export function messageOf(notification: {
  id: string;
  kind: string;
  regionCode: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: Date;
}): WebhookMessage {
  return {
    id: notification.id,
    kind: notification.kind,
    region: notification.regionCode,
    title: notification.title,
    body: notification.body,
    link: notification.link,
    createdAt: notification.createdAt.toISOString(),
  };
}

/** Several held notifications as one message: its id is the digest delivery's. */
function digestOf(
  id: string,
  webhook: Webhook,
  createdAt: Date,
  notifications: Array<Parameters<typeof messageOf>[0]>,
): WebhookMessage {
  const items = notifications.map(messageOf);
  return {
    id,
    kind: 'digest',
    region: webhook.regionCode,
    title: `${items.length} 条通知汇总`,
    body: items.map((item) => `· ${item.title}`).join('\n'),
    link: '/notifications',
    createdAt: createdAt.toISOString(),
    items,
  };
}
