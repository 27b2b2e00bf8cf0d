import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { UserPrincipal } from '../auth/access.decorator';
import { AccessRegistry } from '../auth/access.registry';
import { badRequest } from '../infra/http/error-body';
import type { Parsed } from '../infra/http/validation';
import { countyIso, formatMinute, parseMinute } from '../kernel/county-time';
import { DEFAULT_AUDIENCE, NOTIFICATION_KINDS } from './domain/rules';
import { newWebhookSecret } from './domain/webhook-request';
import {
  CreateRuleBody,
  CreateWebhookBody,
  ListDeliveriesQuery,
  UpdateRuleBody,
  UpdateWebhookBody,
} from './notifications.dto';
import { NotificationSettingsRepository } from './notification-settings.repository';
import { messageOf, WebhookOutbox } from './webhook-outbox';

type RuleRow = NonNullable<Awaited<ReturnType<NotificationSettingsRepository['rule']>>>;
type WebhookRow = NonNullable<Awaited<ReturnType<NotificationSettingsRepository['webhook']>>>;

/** Rules, webhooks and their delivery log, as an admin of a region manages them. */
@Injectable()
export class NotificationSettings {
  constructor(
    private readonly settings: NotificationSettingsRepository,
    private readonly access: AccessRegistry,
    private readonly outbox: WebhookOutbox,
  ) {}

  async rules(actor: UserPrincipal) {
    return {
      items: (await this.settings.rules(actor.scopeCode)).map(ruleView),
      defaults: NOTIFICATION_KINDS.map((kind) => ({ kind, roles: [...DEFAULT_AUDIENCE[kind]] })),
    };
  }

  async createRule(actor: UserPrincipal, body: Parsed<typeof CreateRuleBody>) {
    await this.checkWebhook(actor, body.regionCode, body.webhookId);
    return ruleView(await this.settings.createRule({ ...body, ...minutes(body) }));
  }

  async updateRule(actor: UserPrincipal, id: string, body: Parsed<typeof UpdateRuleBody>) {
    const rule = await this.requireRule(id);
    await this.checkWebhook(actor, rule.regionCode, body.webhookId);
    return ruleView(await this.settings.updateRule(id, { ...body, ...minutes(body) }));
  }

  async deleteRule(id: string): Promise<void> {
    await this.requireRule(id);
    await this.settings.deleteRule(id);
  }

  async webhooks(actor: UserPrincipal) {
    return { items: (await this.settings.webhooks(actor.scopeCode)).map(webhookView) };
  }

  /** The secret is generated here and answered this once. */
  async createWebhook(body: Parsed<typeof CreateWebhookBody>) {
    const secret = newWebhookSecret();
    return { ...webhookView(await this.settings.createWebhook({ ...body, secret })), secret };
  }

  async updateWebhook(id: string, body: Parsed<typeof UpdateWebhookBody>) {
    await this.requireWebhook(id);
    return webhookView(await this.settings.updateWebhook(id, body));
  }

  /** A new secret, answered once; the old one signs nothing from now on. */
  async rotateSecret(id: string) {
    await this.requireWebhook(id);
    const secret = newWebhookSecret();
    return { ...webhookView(await this.settings.updateWebhook(id, { secret })), secret };
  }

  async deleteWebhook(id: string): Promise<void> {
    await this.requireWebhook(id);
    await this.settings.deleteWebhook(id);
  }

  async deliveries(id: string, query: Parsed<typeof ListDeliveriesQuery>) {
    await this.requireWebhook(id);
    const rows = await this.settings.deliveries(id, query.status, query.limit);
    return {
      items: rows.map((row) => ({
        id: row.id,
        notificationId: row.notificationId,
        title: row.notification?.title ?? `${row._count.digested} 条通知汇总`,
        status: row.status,
        attempts: row.attempts,
        nextAttemptAt: row.status === 'pending' ? countyIso(row.nextAttemptAt) : null,
        releaseAt: row.releaseAt && row.status === 'held' ? countyIso(row.releaseAt) : null,
        lastStatus: row.lastStatus,
        lastError: row.lastError,
        deliveredAt: row.deliveredAt ? countyIso(row.deliveredAt) : null,
        createdAt: countyIso(row.createdAt),
      })),
    };
  }

  /** POSTs a test message now, signed like any other, and answers what the webhook said (nothing is logged). */
  async testSend(id: string) {
    const webhook = await this.requireWebhook(id);
    const now = new Date();
    const attempt = await this.outbox.post(
      webhook,
      messageOf({
        id,
        kind: 'test',
        regionCode: webhook.regionCode,
        title: '大喇叭测试通知',
        body: `这是一条测试通知，发往「${webhook.name}」。`,
        link: '/notifications',
        createdAt: now,
      }),
      `test-${now.getTime()}`,
    );
    return { delivered: attempt.status !== null && attempt.status >= 200 && attempt.status < 300, ...attempt };
  }

  private async requireRule(id: string): Promise<RuleRow> {
    const rule = await this.settings.rule(id);
    if (!rule) throw new NotFoundException(`notification rule ${id} not found`);
    return rule;
  }

  private async requireWebhook(id: string): Promise<WebhookRow> {
    const webhook = await this.settings.webhook(id);
    if (!webhook) throw new NotFoundException(`webhook ${id} not found`);
    return webhook;
  }

  /** A rule's webhook must be in the admin's scope, and be its region's or one above it. */
  private async checkWebhook(actor: UserPrincipal, regionCode: string, webhookId: string | null): Promise<void> {
    if (!webhookId) return;
    const webhook = await this.requireWebhook(webhookId);
    if (!(await this.access.reaches(actor.scopeCode, webhook.regionCode)))
      throw new ForbiddenException(`webhook ${webhookId} is outside your scope (${actor.scopeCode})`);
    if (!(await this.access.reaches(webhook.regionCode, regionCode)))
      throw badRequest(`webhook ${webhook.name} belongs to ${webhook.regionCode}, which does not hold ${regionCode}`, [
        { path: 'body.webhookId', message: "must be a webhook of the rule's region or one above it" },
      ]);
  }
}

const minutes = (body: { quietFrom: string | null; quietUntil: string | null }) => ({
  quietFrom: body.quietFrom === null ? null : parseMinute(body.quietFrom),
  quietUntil: body.quietUntil === null ? null : parseMinute(body.quietUntil),
});

function ruleView(rule: RuleRow) {
  return {
    id: rule.id,
    regionCode: rule.regionCode,
    regionName: rule.region.name,
    kind: rule.kind,
    roles: rule.roles,
    webhookId: rule.webhookId,
    webhookName: rule.webhook?.name ?? null,
    quietFrom: rule.quietFrom === null ? null : formatMinute(rule.quietFrom),
    quietUntil: rule.quietUntil === null ? null : formatMinute(rule.quietUntil),
    enabled: rule.enabled,
  };
}

function webhookView(webhook: WebhookRow) {
  return {
    id: webhook.id,
    regionCode: webhook.regionCode,
    name: webhook.name,
    url: webhook.url,
    format: webhook.format,
    createdAt: countyIso(webhook.createdAt),
  };
}
