import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { UserPrincipal } from '../auth/access.decorator';
import { AccessRegistry } from '../auth/access.registry';
import type { MonthlyTheme, Topic } from '../generated/prisma/client';
import { badRequest } from '../infra/http/error-body';
import type { Parsed } from '../infra/http/validation';
import { CreateTopicBody, ThemeBody, ThemesQuery, TopicsQuery } from './lectures.dto';
import { TopicsRepository } from './topics.repository';

/** The county's topic menu and its one theme a month: set by the county, read by everyone working in it. */
@Injectable()
export class TopicsService {
  constructor(
    private readonly topics: TopicsRepository,
    private readonly access: AccessRegistry,
  ) {}

  async create(actor: UserPrincipal, body: Parsed<typeof CreateTopicBody>) {
    await this.requireCountyLevel(actor, body.countyCode);
    const topic = await this.topics.create({
      countyCode: body.countyCode,
      title: body.title,
      summary: body.summary ?? null,
      category: body.category,
      createdById: actor.id,
    });
    if (!topic) throw new ConflictException(`The menu of ${body.countyCode} has a topic "${body.title}" already`);
    return topicView(topic);
  }

  async list(actor: UserPrincipal, query: Parsed<typeof TopicsQuery>) {
    const countyCode = await this.countyFor(actor, query.county);
    return { items: (await this.topics.list(countyCode, query.retired ?? false)).map(topicView) };
  }

  /** A topic any session or order of the county may name: on the menu, not retired. */
  async requireOnMenu(topicId: string, countyCode: string): Promise<Topic> {
    const topic = await this.topics.find(topicId);
    if (!topic) throw new NotFoundException(`topic ${topicId} not found`);
    if (topic.countyCode !== countyCode)
      throw badRequest(`topic ${topicId} is on the menu of ${topic.countyCode}, not of ${countyCode}`);
    if (topic.retiredAt) throw new ConflictException(`topic "${topic.title}" is no longer on the menu`);
    return topic;
  }

  async setTheme(actor: UserPrincipal, month: string, body: Parsed<typeof ThemeBody>) {
    await this.requireCountyLevel(actor, body.countyCode);
    if (body.topicId) await this.requireOnMenu(body.topicId, body.countyCode);
    return themeView(
      await this.topics.setTheme({
        countyCode: body.countyCode,
        month,
        title: body.title,
        summary: body.summary ?? null,
        topicId: body.topicId ?? null,
        setById: actor.id,
      }),
    );
  }

  async themes(actor: UserPrincipal, query: Parsed<typeof ThemesQuery>) {
    const countyCode = await this.countyFor(actor, query.county);
    return { items: (await this.topics.themes(countyCode, query.from, query.to)).map(themeView) };
  }

  /** What a county's villagers may order: the topics on its menu (not retired). */
  async menu(countyCode: string) {
    return (await this.topics.list(countyCode, false)).map(topicView);
  }

  /** The county's theme of a month (一月一主题), or null when none was set. */
  async themeOfMonth(countyCode: string, month: string) {
    const theme = await this.topics.theme(countyCode, month);
    return theme ? themeView(theme) : null;
  }

  /** A county's themes from one month to another, for reports. */
  themesOf(countyCode: string, from: string, to: string) {
    return this.topics.themes(countyCode, from, to);
  }

  /** The theme of the month, as a report or a ledger entry names it. */
  async themeOf(countyCode: string, month: string): Promise<string | null> {
    return (await this.topics.theme(countyCode, month))?.title ?? null;
  }

  /** The county named (which the user must work in), or the county of the user's scope. */
  private async countyFor(actor: UserPrincipal, county: string | undefined): Promise<string> {
    if (!county) {
      if (actor.scopeCode === null) throw badRequest('Name the county (?county=): you work in all of them');
      return (await this.access.region(actor.scopeCode))!.countyCode;
    }
    await this.access.requireCounty(county, 'A topic menu is a county’s');
    if (!(await this.access.related(actor.scopeCode, county)))
      throw new ForbiddenException(`County ${county} is not one you work in (${actor.scopeCode})`);
    return county;
  }

  /** The menu and the themes are the county's: set by its own operators (or an admin), not a township's. */
  private async requireCountyLevel(actor: UserPrincipal, countyCode: string): Promise<void> {
    await this.access.requireCounty(countyCode, 'A topic menu and its themes are a county’s');
    if (!(await this.access.reaches(actor.scopeCode, countyCode)))
      throw new ForbiddenException(
        `Only the county (${countyCode}) sets its topic menu and themes; your scope is ${actor.scopeCode}`,
      );
  }
}

export function topicView(topic: Topic) {
  return {
    id: topic.id,
    countyCode: topic.countyCode,
    title: topic.title,
    summary: topic.summary,
    category: topic.category,
    retired: topic.retiredAt !== null,
    createdAt: topic.createdAt.toISOString(),
  };
}

function themeView(theme: MonthlyTheme) {
  return {
    countyCode: theme.countyCode,
    month: theme.month,
    title: theme.title,
    summary: theme.summary,
    topicId: theme.topicId,
    updatedAt: theme.updatedAt.toISOString(),
  };
}
