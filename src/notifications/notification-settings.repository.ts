import { Injectable } from '@nestjs/common';
import type { Prisma, WebhookDeliveryStatus } from '../generated/prisma/client';
import { PrismaService } from '../infra/database/prisma.service';
import { withinScope } from '../regions/regions.repository';

const RULE_INCLUDE = {
  region: { select: { name: true } },
  webhook: { select: { name: true } },
} as const;

/** The rules and webhooks admins set, and the log of what went out. */
@Injectable()
export class NotificationSettingsRepository {
  constructor(private readonly prisma: PrismaService) {}

  rules(scopeCode: string | null) {
    return this.prisma.notificationRule.findMany({
      where: { region: withinScope(scopeCode) },
      include: RULE_INCLUDE,
      orderBy: [{ regionCode: 'asc' }, { kind: 'asc' }, { createdAt: 'asc' }],
    });
  }

  rule(id: string) {
    return this.prisma.notificationRule.findUnique({ where: { id }, include: RULE_INCLUDE });
  }

  createRule(data: Prisma.NotificationRuleUncheckedCreateInput) {
    return this.prisma.notificationRule.create({ data, include: RULE_INCLUDE });
  }

  updateRule(id: string, data: Prisma.NotificationRuleUncheckedUpdateInput) {
    return this.prisma.notificationRule.update({ where: { id }, data, include: RULE_INCLUDE });
  }

  async deleteRule(id: string): Promise<void> {
    await this.prisma.notificationRule.delete({ where: { id } });
  }

  webhooks(scopeCode: string | null) {
    return this.prisma.webhook.findMany({ where: { region: withinScope(scopeCode) }, orderBy: { createdAt: 'asc' } });
  }

  webhook(id: string) {
    return this.prisma.webhook.findUnique({ where: { id } });
  }

  createWebhook(data: Prisma.WebhookUncheckedCreateInput) {
    return this.prisma.webhook.create({ data });
  }

  updateWebhook(id: string, data: Prisma.WebhookUncheckedUpdateInput) {
    return this.prisma.webhook.update({ where: { id }, data });
  }

  async deleteWebhook(id: string): Promise<void> {
    await this.prisma.webhook.delete({ where: { id } });
  }

  deliveries(webhookId: string, status: WebhookDeliveryStatus | undefined, take: number) {
    return this.prisma.webhookDelivery.findMany({
      where: { webhookId, ...(status ? { status } : {}) },
      orderBy: { createdAt: 'desc' },
      take,
      include: { notification: { select: { title: true } }, _count: { select: { digested: true } } },
    });
  }
}
