import { Module, OnModuleInit } from '@nestjs/common';
import { AccessRegistry } from '../auth/access.registry';
import { RegionsModule } from '../regions/regions.module';
import { Notices } from './notices';
import { NotificationRulesController, WebhooksController } from './notification-settings.controller';
import { NotificationSettingsRepository } from './notification-settings.repository';
import { NotificationSettings } from './notification-settings.service';
import { NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { WebhookOutbox } from './webhook-outbox';

/** Notifications to the people who must act (docs/notifications.md); features raise them through Notices. */
@Module({
  imports: [RegionsModule],
  controllers: [NotificationsController, NotificationRulesController, WebhooksController],
  providers: [
    Notices,
    NotificationsRepository,
    NotificationsService,
    NotificationSettings,
    NotificationSettingsRepository,
    WebhookOutbox,
  ],
  exports: [Notices],
})
export class NotificationsModule implements OnModuleInit {
  constructor(
    private readonly access: AccessRegistry,
    private readonly notifications: NotificationsRepository,
  ) {}

  onModuleInit(): void {
    this.access.registerEntity('notification-rule', (id) => this.notifications.ruleRegionOf(id));
    this.access.registerEntity('webhook', (id) => this.notifications.webhookRegionOf(id));
  }
}
