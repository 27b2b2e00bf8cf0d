import { Controller, Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, entityIn, regionIn, UserPrincipal } from '../auth/access.decorator';
import { ApiResult, Parsed, ValidBody, ValidParam, ValidQuery } from '../infra/http/validation';
import { z } from 'zod';
import {
  CreateRuleBody,
  CreateWebhookBody,
  DeliveryList,
  ListDeliveriesQuery,
  RuleList,
  RuleView,
  TestSendView,
  UpdateRuleBody,
  UpdateWebhookBody,
  WebhookList,
  WebhookView,
  WebhookWithSecret,
} from './notifications.dto';
import { NotificationSettings } from './notification-settings.service';

const Id = z.uuid();
const READ = { 401: 'Not signed in', 403: 'Not an admin' };
const ONE = {
  400: 'Invalid id or body',
  401: 'Not signed in',
  403: 'Not an admin, or outside your scope',
  404: 'Not found',
};

/** 通知规则: who hears of what in a region's subtree, and which webhook (SMS, WeChat Work, DingTalk relay) is told. */
@ApiTags('notifications')
@Controller('api/v1/notification-rules')
export class NotificationRulesController {
  constructor(private readonly settings: NotificationSettings) {}

  @Get()
  @Access.user('notifications.manage')
  @ApiResult(200, RuleList, 'The rules of regions in your scope, and the built-in defaults', READ)
  list(@CurrentUser() actor: UserPrincipal) {
    return this.settings.rules(actor);
  }

  @Post()
  @Access.user('notifications.manage', regionIn('body', 'regionCode'))
  @ApiResult(201, RuleView, 'Applies to notifications raised from now on', ONE)
  create(@CurrentUser() actor: UserPrincipal, @ValidBody(CreateRuleBody) body: Parsed<typeof CreateRuleBody>) {
    return this.settings.createRule(actor, body);
  }

  @Put(':id')
  @Access.user('notifications.manage', entityIn('param', 'id', 'notification-rule'))
  @ApiResult(200, RuleView, 'Saved: applies to notifications raised from now on', ONE)
  update(
    @CurrentUser() actor: UserPrincipal,
    @ValidParam('id', Id) id: string,
    @ValidBody(UpdateRuleBody) body: Parsed<typeof UpdateRuleBody>,
  ) {
    return this.settings.updateRule(actor, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Access.user('notifications.manage', entityIn('param', 'id', 'notification-rule'))
  @ApiResult(204, null, 'Deleted: where no other rule applies, the defaults do again', ONE)
  async remove(@ValidParam('id', Id) id: string): Promise<void> {
    await this.settings.deleteRule(id);
  }
}

/** Webhooks: where notifications are POSTed, signed with HMAC-SHA256, retried, logged. */
@ApiTags('notifications')
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(private readonly settings: NotificationSettings) {}

  @Get()
  @Access.user('notifications.manage')
  @ApiResult(200, WebhookList, 'The webhooks of regions in your scope (never their secrets)', READ)
  list(@CurrentUser() actor: UserPrincipal) {
    return this.settings.webhooks(actor);
  }

  @Post()
  @Access.user('notifications.manage', regionIn('body', 'regionCode'))
  @ApiResult(201, WebhookWithSecret, 'Created, with its secret: shown this once', ONE)
  create(@ValidBody(CreateWebhookBody) body: Parsed<typeof CreateWebhookBody>) {
    return this.settings.createWebhook(body);
  }

  @Put(':id')
  @Access.user('notifications.manage', entityIn('param', 'id', 'webhook'))
  @ApiResult(200, WebhookView, 'Saved (the secret stays)', ONE)
  update(@ValidParam('id', Id) id: string, @ValidBody(UpdateWebhookBody) body: Parsed<typeof UpdateWebhookBody>) {
    return this.settings.updateWebhook(id, body);
  }

  @Post(':id/secret')
  @Access.user('notifications.manage', entityIn('param', 'id', 'webhook'))
  @ApiResult(201, WebhookWithSecret, 'A new secret, shown this once; the old one signs nothing more', ONE)
  rotate(@ValidParam('id', Id) id: string) {
    return this.settings.rotateSecret(id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Access.user('notifications.manage', entityIn('param', 'id', 'webhook'))
  @ApiResult(204, null, 'Deleted with its delivery log; rules that named it keep only the console', ONE)
  async remove(@ValidParam('id', Id) id: string): Promise<void> {
    await this.settings.deleteWebhook(id);
  }

  @Get(':id/deliveries')
  @Access.user('notifications.manage', entityIn('param', 'id', 'webhook'))
  @ApiResult(200, DeliveryList, 'What went to it, newest first: status, attempts, last HTTP status and error', ONE)
  deliveries(
    @ValidParam('id', Id) id: string,
    @ValidQuery(ListDeliveriesQuery) query: Parsed<typeof ListDeliveriesQuery>,
  ) {
    return this.settings.deliveries(id, query);
  }

  @Post(':id/test')
  @HttpCode(200)
  @Access.user('notifications.manage', entityIn('param', 'id', 'webhook'))
  @ApiResult(200, TestSendView, 'A signed test message was POSTed now; what the webhook answered', ONE)
  test(@ValidParam('id', Id) id: string) {
    return this.settings.testSend(id);
  }
}
