import { Module } from '@nestjs/common';
import { Notices } from './notices';

/** Notifications to the people who must act (docs/notifications.md); features raise them through Notices. */
@Module({ providers: [Notices], exports: [Notices] })
export class NotificationsModule {}
