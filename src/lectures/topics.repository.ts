import { Injectable } from '@nestjs/common';
import type { ProgrammeCategory } from '../generated/prisma/client';
import { PrismaService } from '../infra/database/prisma.service';
import { unlessDuplicate } from '../infra/database/unique-violation';

/** The county's topic menu and its monthly themes. */
@Injectable()
export class TopicsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Null when the county's menu has a topic of that title already. */
  create(topic: {
    countyCode: string;
    title: string;
    summary: string | null;
    category: ProgrammeCategory;
    createdById: string;
  }) {
    return unlessDuplicate(this.prisma.topic.create({ data: topic }));
  }

  find(id: string) {
    return this.prisma.topic.findUnique({ where: { id } });
  }

  list(countyCode: string, includeRetired: boolean) {
    return this.prisma.topic.findMany({
      where: { countyCode, ...(includeRetired ? {} : { retiredAt: null }) },
      orderBy: { createdAt: 'asc' },
    });
  }

  setTheme(theme: {
    countyCode: string;
    month: string;
    title: string;
    summary: string | null;
    topicId: string | null;
    setById: string;
  }) {
    const { countyCode, month, ...fields } = theme;
    return this.prisma.monthlyTheme.upsert({
      where: { countyCode_month: { countyCode, month } },
      create: theme,
      update: fields,
    });
  }

  themes(countyCode: string, from?: string, to?: string) {
    return this.prisma.monthlyTheme.findMany({
      where: { countyCode, month: { ...(from ? { gte: from } : {}), ...(to ? { lte: to } : {}) } },
      orderBy: { month: 'asc' },
    });
  }

  theme(countyCode: string, month: string) {
    return this.prisma.monthlyTheme.findUnique({ where: { countyCode_month: { countyCode, month } } });
  }
}
