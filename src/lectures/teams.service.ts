import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { UserPrincipal } from '../auth/access.decorator';
import { AccessRegistry } from '../auth/access.registry';
import { badRequest } from '../infra/http/error-body';
import type { Parsed } from '../infra/http/validation';
import { AddMemberBody, CreateTeamBody, TeamsQuery } from './lectures.dto';
import { TeamsRepository } from './teams.repository';

type TeamRow = NonNullable<Awaited<ReturnType<TeamsRepository['find']>>>;

/** Lecture teams (宣讲队): lecturers working together within a region. */
@Injectable()
export class TeamsService {
  constructor(
    private readonly teams: TeamsRepository,
    private readonly access: AccessRegistry,
  ) {}

  async create(actor: UserPrincipal, body: Parsed<typeof CreateTeamBody>) {
    const region = (await this.access.region(body.regionCode))!;
    await this.requireLecturers(
      body.regionCode,
      body.members.map((member) => member.userId),
    );
    const team = await this.teams.create({
      name: body.name,
      regionCode: body.regionCode,
      countyCode: region.countyCode,
      createdById: actor.id,
      members: body.members.map((member) => ({ userId: member.userId, title: member.title ?? null })),
    });
    if (!team) throw new ConflictException(`${body.regionCode} has a team "${body.name}" already`);
    return teamView(team);
  }

  /** A team, to anyone working where it works (its region and their scope on one line of the tree). */
  async get(actor: UserPrincipal, id: string) {
    const team = await this.require(id);
    if (!(await this.access.related(actor.scopeCode, team.regionCode)))
      throw new ForbiddenException(`Team ${id} works in ${team.regionCode}, not where you do (${actor.scopeCode})`);
    return teamView(team);
  }

  async list(actor: UserPrincipal, query: Parsed<typeof TeamsQuery>) {
    const regionCode = query.region ?? actor.scopeCode;
    if (regionCode === null) throw badRequest('Name the region (?region=)');
    const region = (await this.access.region(regionCode))!;
    const ancestors = [region.countyCode, region.townshipCode].filter(
      (code): code is string => code !== null && code !== regionCode,
    );
    return { items: (await this.teams.list(regionCode, ancestors)).map(teamView) };
  }

  async addMember(actor: UserPrincipal, id: string, body: Parsed<typeof AddMemberBody>) {
    const team = await this.requireManaged(actor, id);
    await this.requireLecturers(team.regionCode, [body.userId]);
    await this.teams.addMember(id, body.userId, body.title ?? null);
    return teamView(await this.require(id));
  }

  async removeMember(actor: UserPrincipal, id: string, userId: string) {
    await this.requireManaged(actor, id);
    if ((await this.teams.memberCount(id)) === 1) throw new ConflictException('a team keeps at least one member');
    if (!(await this.teams.removeMember(id, userId)))
      throw new NotFoundException(`user ${userId} is not a member of team ${id}`);
    return teamView(await this.require(id));
  }

  /** A team whose region lies in the actor's scope: theirs to change. */
  private async requireManaged(actor: UserPrincipal, id: string): Promise<TeamRow> {
    const team = await this.require(id);
    if (!(await this.access.reaches(actor.scopeCode, team.regionCode)))
      throw new ForbiddenException(`Team ${id} is outside your scope (${actor.scopeCode})`);
    return team;
  }

  /** The ids of the teams the user belongs to. */
  teamsOf(userId: string): Promise<string[]> {
    return this.teams.teamsOf(userId);
  }

  /** Whether a user is a member of the team. */
  async isMember(teamId: string, userId: string): Promise<boolean> {
    return (await this.require(teamId)).members.some((member) => member.userId === userId);
  }

  async require(id: string): Promise<TeamRow> {
    const team = await this.teams.find(id);
    if (!team) throw new NotFoundException(`team ${id} not found`);
    return team;
  }

  /** Every one an active lecturer who works where the team does (their scope and the region share a line of the tree). */
  async requireLecturers(regionCode: string, userIds: string[]) {
    const users = new Map((await this.teams.users([...new Set(userIds)])).map((user) => [user.id, user]));
    for (const userId of new Set(userIds)) {
      const user = users.get(userId);
      if (!user) throw new NotFoundException(`user ${userId} not found`);
      if (user.role !== 'lecturer')
        throw badRequest(`${user.username} is ${user.role === 'admin' ? 'an' : 'a'} ${user.role}, not a lecturer`);
      if (user.disabledAt) throw new ConflictException(`${user.username} is disabled`);
      if (!(await this.access.related(user.scopeCode, regionCode)))
        throw new ForbiddenException(`${user.username} works in ${user.scopeCode}, not in ${regionCode}`);
    }
    return users;
  }
}

function teamView(team: TeamRow) {
  return {
    id: team.id,
    name: team.name,
    regionCode: team.regionCode,
    members: team.members.map((member) => ({
      userId: member.userId,
      username: member.user.username,
      displayName: member.user.displayName,
      title: member.title,
    })),
    createdAt: team.createdAt.toISOString(),
  };
}
