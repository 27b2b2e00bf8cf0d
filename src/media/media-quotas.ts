import { Inject, Injectable } from '@nestjs/common';
import type { Media } from '../generated/prisma/client';
import type { UserPrincipal } from '../auth/access.decorator';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { ApiError } from '../infra/http/error-body';
import { bytesLeftToday, countyDayBounds, exceededQuota, MediaCost, QuotaExceeded } from './domain/media-quota';
import { MediaRepository, NewMedia } from './media.repository';

/**
 * Uploads and text-to-speech per author and per scope: items processing at
 * once, bytes and characters a county day. Counted from Postgres, so a Redis
 * flush neither lifts nor resets them.
 */
@Injectable()
export class MediaQuotas {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly media: MediaRepository,
  ) {}

  /** Refuses (429) before any work when one more item costing this much would pass a quota; else the upload bytes left today. */
  async admit(actor: UserPrincipal, cost: MediaCost): Promise<{ bytesLeft: number }> {
    const now = new Date();
    const usage = await this.media.usage(actor.id, actor.scopeCode, countyDayBounds(now).start);
    const exceeded = exceededQuota(this.config.media.quotas, usage, cost, now);
    if (exceeded) throw quotaExceeded(exceeded);
    return { bytesLeft: bytesLeftToday(this.config.media.quotas, usage) };
  }

  /** Creates the row if it still fits (concurrent requests are counted in turn); else 429 and nothing created. */
  create(row: NewMedia, cost: MediaCost): Promise<Media> {
    const now = new Date();
    return this.media.createWithinQuota(row, countyDayBounds(now).start, (usage) => {
      const exceeded = exceededQuota(this.config.media.quotas, usage, cost, now);
      if (exceeded) throw quotaExceeded(exceeded);
    });
  }
}

function quotaExceeded(exceeded: QuotaExceeded): ApiError {
  const { holder, quota, limit, used, resetsAt, variable, message } = exceeded;
  return new ApiError(429, message, [
    { path: `quota.${holder}.${quota}`, message, quota, holder, limit, used, variable, resetsAt: resetsAt?.toISOString() ?? null },
  ]);
}
