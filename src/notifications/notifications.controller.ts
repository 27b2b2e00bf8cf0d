import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, UserPrincipal } from '../auth/access.decorator';
import { ApiResult, Parsed, ValidBody, ValidQuery } from '../infra/http/validation';
import { ListNotificationsQuery, MarkedView, MarkReadBody, NotificationPage } from './notifications.dto';
import { NotificationsService } from './notifications.service';

/** 通知: a signed-in user's own notifications (their role, their scope). */
@ApiTags('notifications')
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @Access.user('notifications.read')
  @ApiResult(200, NotificationPage, 'Yours, newest first, with how many you have not read', {
    400: 'Invalid query',
    401: 'Not signed in',
  })
  list(
    @CurrentUser() actor: UserPrincipal,
    @ValidQuery(ListNotificationsQuery) query: Parsed<typeof ListNotificationsQuery>,
  ) {
    return this.notifications.list(actor, query);
  }

  @Post('read')
  @HttpCode(200)
  @Access.user('notifications.read')
  @ApiResult(200, MarkedView, 'Marked read (for you only)', {
    400: 'Invalid body',
    401: 'Not signed in',
    404: 'One of the ids is no notification of yours (nothing marked)',
  })
  markRead(@CurrentUser() actor: UserPrincipal, @ValidBody(MarkReadBody) body: Parsed<typeof MarkReadBody>) {
    return this.notifications.markRead(actor, body);
  }
}
