import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Prisma, SessionMode, SessionStatus } from '../generated/prisma/client';
import { PrismaService } from '../infra/database/prisma.service';
import { unlessDuplicate } from '../infra/database/unique-violation';
import { withinSubtree } from '../regions/regions.repository';
import { toDbDate } from '../kernel/county-time';

export const SESSION_INCLUDE = {
  topic: { select: { title: true } },
  lecturers: {
    include: { user: { select: { id: true, username: true, displayName: true, scopeCode: true } } },
    orderBy: { userId: 'asc' },
  },
} as const;
export type SessionRow = Prisma.LectureSessionGetPayload<{ include: typeof SESSION_INCLUDE }>;
export const nameOf = (user: { username: string; displayName: string | null }) => user.displayName ?? user.username;

export interface NewSession {
  topicId: string;
  mode: SessionMode;
  regionCode: string;
  countyCode: string;
  teamId: string | null;
  startsAt: Date;
  plannedMinutes: number;
  notes: string | null;
  recordingMediaId: string | null;
  broadcastId: string | null;
  airDate: string | null;
  orderId: string | null;
  createdById: string;
  lecturerIds: string[];
}

/** Lecture sessions, their lecturers and the volunteers who sign in. */
@Injectable()
export class SessionsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Per team, its completed sessions on a topic and on topics of a category (a team's field, for dispatch). */
  async fieldOf(
    teamIds: string[],
    topicId: string,
    category: Prisma.TopicWhereInput['category'],
  ): Promise<Map<string, { sameTopic: number; sameCategory: number }>> {
    const completed = { teamId: { in: teamIds }, status: 'completed' as const };
    const [sameTopic, sameCategory] = await Promise.all([
      this.prisma.lectureSession.groupBy({ by: ['teamId'], where: { ...completed, topicId }, _count: true }),
      this.prisma.lectureSession.groupBy({
        by: ['teamId'],
        where: { ...completed, topic: { category } },
        _count: true,
      }),
    ]);
    const count = (rows: typeof sameTopic, teamId: string) => rows.find((row) => row.teamId === teamId)?._count ?? 0;
    return new Map(
      teamIds.map((id) => [id, { sameTopic: count(sameTopic, id), sameCategory: count(sameCategory, id) }]),
    );
  }

  /** Null when the order it delivers has a session already. */
  create(session: NewSession) {
    const { lecturerIds, airDate, ...fields } = session;
    return unlessDuplicate(
      this.prisma.lectureSession.create({
        data: {
          ...fields,
          airDate: airDate ? toDbDate(airDate) : null,
          checkinKey: randomBytes(16).toString('base64url'),
          lecturers: { create: lecturerIds.map((userId) => ({ userId })) },
        },
        include: SESSION_INCLUDE,
      }),
    );
  }

  find(id: string) {
    return this.prisma.lectureSession.findUnique({ where: { id }, include: SESSION_INCLUDE });
  }

  /** The topic of each session, by id. */
  async topicTitles(ids: string[]): Promise<Map<string, string>> {
    const rows = ids.length
      ? await this.prisma.lectureSession.findMany({
          where: { id: { in: ids } },
          select: { id: true, topic: { select: { title: true } } },
        })
      : [];
    return new Map(rows.map((row) => [row.id, row.topic.title]));
  }

  regionOf(id: string): Promise<{ regionCode: string } | null> {
    return this.prisma.lectureSession.findUnique({ where: { id }, select: { regionCode: true } });
  }

  /** `lecturerId`: only the sessions that user gives. */
  list(
    filter: {
      scopeCode: string | null;
      from?: Date;
      to?: Date;
      mode?: SessionMode;
      status?: SessionStatus;
      lecturerId?: string;
    },
    limit: number,
  ) {
    return this.prisma.lectureSession.findMany({
      where: {
        ...(filter.scopeCode ? { region: withinSubtree(filter.scopeCode) } : {}),
        ...(filter.from || filter.to
          ? { startsAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } }
          : {}),
        ...(filter.mode ? { mode: filter.mode } : {}),
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.lecturerId ? { lecturers: { some: { userId: filter.lecturerId } } } : {}),
      },
      include: SESSION_INCLUDE,
      orderBy: { startsAt: 'asc' },
      take: limit,
    });
  }

  /** On-air sessions of a county's slot still waiting to be recorded, that aired by the date (live ones are recorded when they end). */
  onAirWaiting(countyCode: string, date: string) {
    return this.prisma.lectureSession.findMany({
      where: {
        countyCode,
        mode: 'on_air',
        status: 'planned',
        airDate: { lte: toDbDate(date) },
        broadcastId: { not: null },
      },
      include: SESSION_INCLUDE,
    });
  }

  /** On-air sessions of a county completed for the date (late receipts may correct them). */
  onAirCompleted(countyCode: string, date: string) {
    return this.prisma.lectureSession.findMany({
      where: { countyCode, mode: 'on_air', status: 'completed', airDate: toDbDate(date), broadcastId: { not: null } },
      include: SESSION_INCLUDE,
    });
  }

  /** planned → completed or cancelled; false when it was no longer planned (someone else acted first). */
  async finish(
    tx: Prisma.TransactionClient,
    id: string,
    status: 'completed' | 'cancelled',
    at = new Date(),
  ): Promise<boolean> {
    // A cancelled session lets go of its order, which another session may then deliver.
    const { count } = await tx.lectureSession.updateMany({
      where: { id, status: 'planned' },
      data: { status, ...(status === 'completed' ? { completedAt: at } : { orderId: null }) },
    });
    return count === 1;
  }

  async setLedgerSeq(tx: Prisma.TransactionClient, id: string, seq: bigint): Promise<void> {
    await tx.lectureSession.update({ where: { id }, data: { ledgerSeq: seq } });
  }

  /** The volunteers signing in: known ids of the county, and names found or added in the session's region. */
  async volunteers(
    tx: Prisma.TransactionClient,
    place: { regionCode: string; countyCode: string },
    ids: string[],
    names: string[],
  ) {
    const known = ids.length
      ? await tx.volunteer.findMany({ where: { id: { in: ids }, countyCode: place.countyCode } })
      : [];
    const named = [];
    for (const name of names) {
      named.push(
        await tx.volunteer.upsert({
          where: { regionCode_name: { regionCode: place.regionCode, name } },
          create: { name, ...place },
          update: {},
        }),
      );
    }
    return { known, named };
  }
}
