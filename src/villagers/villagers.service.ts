import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import type { Parsed } from '../infra/http/validation';
import { addDays, countyDate, datesFrom, parseMinute } from '../kernel/county-time';
import { OrdersService } from '../lectures/orders.service';
import { TopicsService } from '../lectures/topics.service';
import { RegionsRepository } from '../regions/regions.repository';
import { PlaylistStore } from '../scheduling/playlist-store';
import { SchedulingService } from '../scheduling/scheduling.service';
import { slotReplays } from './domain/replays';
import { PostersService } from './posters.service';
import { VillagerLimits } from './villager-limits';
import { VillagerOrderBody, VillagerRatingBody } from './villagers.dto';

/** The evening slot (17:30, 空中大课堂) whose programmes villagers listen to again. */
const REPLAY_SLOT = 'evening';
const REPLAY_DAYS = 7;

/**
 * What villagers do from their village's poster, with no account: read the
 * month's theme and the menu, order a lecture, see what their loudspeakers
 * air today, listen again to the last week's evening programmes, and rate a
 * delivered lecture through its one-time link. Every request is limited per
 * address and per village; nothing they send is trusted.
 */
@Injectable()
export class VillagersService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly posters: PostersService,
    private readonly limits: VillagerLimits,
    private readonly topics: TopicsService,
    private readonly orders: OrdersService,
    private readonly regions: RegionsRepository,
    private readonly playlists: PlaylistStore,
    private readonly scheduling: SchedulingService,
  ) {}

  async page(code: string) {
    const village = await this.village(code);
    const month = countyDate(new Date()).slice(0, 7);
    const [place, theme, topics] = await Promise.all([
      this.posters.placeOf(village),
      this.topics.themeOfMonth(village.countyCode, month),
      this.topics.menu(village.countyCode),
    ]);
    return {
      place,
      month,
      theme: theme && { title: theme.title, summary: theme.summary },
      topics: topics.map(({ id, title, summary, category }) => ({ id, title, summary, category })),
    };
  }

  async order(code: string, address: string, body: Parsed<typeof VillagerOrderBody>) {
    const village = await this.village(code);
    await this.limits.admitWrite(address);
    const order = await this.orders.placeForVillager(village, body, this.config.villagers.ordersPerVillagePerDay);
    return { id: order.id, topicTitle: order.topicTitle, orderedAt: order.orderedAt, contactPhone: order.contactPhone };
  }

  /** What the village's loudspeakers air today (county date): the items of its playlist, in order. */
  async today(code: string) {
    const village = await this.village(code);
    const date = countyDate(new Date());
    const items = await this.playlists.itemsOf(village, date);
    return {
      date,
      items: items.map((item) => ({
        title: item.title,
        startsAt: item.startsAt,
        durationMs: item.durationMs,
        kind: item.kind,
        drill: item.alert?.drill ?? false,
      })),
    };
  }

  /** 线上大讲堂: the evening programmes the village aired in the last seven days (today's once started), newest first. */
  async replays(code: string) {
    const village = await this.village(code);
    const now = new Date();
    const to = countyDate(now);
    const from = addDays(to, 1 - REPLAY_DAYS);
    const slot = (await this.scheduling.slots(village.countyCode)).items.find((one) => one.name === REPLAY_SLOT);
    const dates = slot ? datesFrom(from, to).reverse() : [];
    const window = { startMinute: parseMinute(slot?.start ?? '') ?? 0, windowMinutes: slot?.windowMinutes ?? 0 };
    const byDate = await Promise.all(
      dates.map(async (date) => slotReplays(date, await this.playlists.itemsOf(village, date), window, now)),
    );
    return {
      from,
      to,
      items: byDate.flat().map(({ date, title, startsAt, durationMs, parts }) => ({
        date,
        title,
        startsAt,
        durationMs,
        parts,
      })),
    };
  }

  async ratingOf(token: string) {
    const { regionCode, ...rating } = await this.orders.ratingOf(token);
    const region = await this.regions.findRef(regionCode);
    return { ...rating, village: region ? (await this.posters.placeOf(region)).village : regionCode };
  }

  async rate(token: string, address: string, body: Parsed<typeof VillagerRatingBody>) {
    await this.limits.admitWrite(address);
    await this.orders.rateByLink(token, body);
    return { rated: true as const };
  }

  /** The village of an open poster code (404 alike for any other), within the village's own limit. */
  private async village(code: string) {
    const village = await this.posters.requireVillage(code);
    await this.limits.admitVillage(village.code);
    return village;
  }
}
