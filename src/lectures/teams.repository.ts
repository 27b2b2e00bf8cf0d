import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/database/prisma.service';
import { unlessDuplicate } from '../infra/database/unique-violation';
import { withinSubtree } from '../regions/regions.repository';

const TEAM_INCLUDE = {
  members: {
    include: { user: { select: { id: true, username: true, displayName: true } } },
    orderBy: { userId: 'asc' },
  },
} as const;

/** Lecture teams, their members, and the users they are made of. */
@Injectable()
export class TeamsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Null when the region has a team of that name already. */
  create(team: {
    name: string;
    regionCode: string;
    countyCode: string;
    createdById: string;
    members: Array<{ userId: string; title: string | null }>;
  }) {
    const { members, ...fields } = team;
    return unlessDuplicate(
      this.prisma.lectureTeam.create({ data: { ...fields, members: { create: members } }, include: TEAM_INCLUDE }),
    );
  }

  find(id: string) {
    return this.prisma.lectureTeam.findUnique({ where: { id }, include: TEAM_INCLUDE });
  }

  /** Teams working in the region's subtree, or above it (a county team works in every village). */
  list(regionCode: string, ancestors: string[]) {
    return this.prisma.lectureTeam.findMany({
      where: { OR: [{ region: withinSubtree(regionCode) }, { regionCode: { in: ancestors } }] },
      include: TEAM_INCLUDE,
      orderBy: { createdAt: 'asc' },
    });
  }

  async addMember(teamId: string, userId: string, title: string | null): Promise<void> {
    await this.prisma.lectureTeamMember.upsert({
      where: { teamId_userId: { teamId, userId } },
      create: { teamId, userId, title },
      update: { title },
    });
  }

  async removeMember(teamId: string, userId: string): Promise<boolean> {
    const { count } = await this.prisma.lectureTeamMember.deleteMany({ where: { teamId, userId } });
    return count > 0;
  }

  async memberCount(teamId: string): Promise<number> {
    return this.prisma.lectureTeamMember.count({ where: { teamId } });
  }

  users(ids: string[]) {
    return this.prisma.user.findMany({
      where: { id: { in: ids } },
      select: { id: true, username: true, displayName: true, role: true, scopeCode: true, disabledAt: true },
    });
  }

  /** The ids of the teams the user belongs to. */
  async teamsOf(userId: string): Promise<string[]> {
    return (await this.prisma.lectureTeamMember.findMany({ where: { userId }, select: { teamId: true } })).map(
      (row) => row.teamId,
    );
  }
}
