import { Injectable, NotFoundException } from '@nestjs/common';
import type { UserPrincipal } from '../auth/access.decorator';
import type { Parsed } from '../infra/http/validation';
import { countyIso } from '../kernel/county-time';
import { ListNotificationsQuery, MarkReadBody } from './notifications.dto';
import { NotificationsRepository } from './notifications.repository';

/** A signed-in user's own list: what their role and scope let them see, and what they have read. */
@Injectable()
export class NotificationsService {
  constructor(private readonly notifications: NotificationsRepository) {}

  async list(actor: UserPrincipal, query: Parsed<typeof ListNotificationsQuery>) {
    const { rows, unread } = await this.notifications.page(actor, {
      unread: query.unread,
      before: query.before ? new Date(query.before) : undefined,
      limit: query.limit,
    });
    return {
      items: rows.map((row) => ({
        id: row.id,
        kind: row.kind,
        regionCode: row.regionCode,
        regionName: row.region.name,
        title: row.title,
        body: row.body,
        link: row.link,
        createdAt: countyIso(row.createdAt),
        readAt: row.reads[0] ? countyIso(row.reads[0].readAt) : null,
      })),
      unread,
      nextBefore: rows.length === query.limit ? rows[rows.length - 1].createdAt.toISOString() : null,
    };
  }

  /** Marks these (or all) read; a notification the user does not see is a 404, and nothing is marked. */
  async markRead(actor: UserPrincipal, body: Parsed<typeof MarkReadBody>) {
    if (body.ids) {
      const unseen = [];
      for (const id of new Set(body.ids)) if (!(await this.notifications.sees(actor, id))) unseen.push(id);
      if (unseen.length) throw new NotFoundException(`no notification of yours with id ${unseen.join(', ')}`);
    }
    const marked = await this.notifications.markRead(actor, body.ids ?? 'all');
    return { marked, unread: await this.notifications.unreadCount(actor) };
  }
}
