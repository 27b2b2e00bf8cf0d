import { Controller, Delete, ForbiddenException, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Access, CurrentUser, regionIn, UserPrincipal } from '../auth/access.decorator';
import { AccessRegistry } from '../auth/access.registry';
import { ApiResult, Parsed, ValidBody, ValidParam, ValidQuery } from '../infra/http/validation';
import { AddMemberBody, CreateTeamBody, TeamList, TeamsQuery, TeamView } from './lectures.dto';
import { TeamsService } from './teams.service';

/** Lecture teams (宣讲队) and their lecturers. */
@ApiTags('lectures')
@Controller('api/v1/teams')
export class TeamsController {
  constructor(private readonly teams: TeamsService, private readonly access: AccessRegistry) {}

  @Post()
  @HttpCode(201)
  @Access.user('teams.manage', regionIn('body', 'regionCode'))
  @ApiResult(201, TeamView, 'Formed', { 400: 'Invalid body, or a member who is no lecturer', 401: 'Not signed in', 403: 'Outside your scope, or a lecturer working elsewhere', 409: 'The region has a team of that name' })
  create(@CurrentUser() actor: UserPrincipal, @ValidBody(CreateTeamBody) body: Parsed<typeof CreateTeamBody>) {
    return this.teams.create(actor, body);
  }

  @Get()
  @Access.user('teams.read', regionIn('query', 'region'))
  @ApiResult(200, TeamList, 'Teams working in the region: its own and those of the township and county above it', { 400: 'Invalid query', 401: 'Not signed in', 403: 'Outside your scope' })
  list(@CurrentUser() actor: UserPrincipal, @ValidQuery(TeamsQuery) query: Parsed<typeof TeamsQuery>) {
    return this.teams.list(actor, query);
  }

  @Get(':id')
  @Access.user('teams.read')
  @ApiResult(200, TeamView, 'One team', { 401: 'Not signed in', 403: 'Works where you do not', 404: 'No such team' })
  async get(@CurrentUser() actor: UserPrincipal, @ValidParam('id', z.uuid()) id: string) {
    const team = await this.teams.get(id);
    if (!(await this.access.related(actor.scopeCode, team.regionCode))) throw new ForbiddenException(`Team ${id} works in ${team.regionCode}, not where you do (${actor.scopeCode})`);
    return team;
  }

  @Post(':id/members')
  @Access.user('teams.manage')
  @HttpCode(200)
  @ApiResult(200, TeamView, 'Joined (or their title changed)', { 400: 'Invalid body, or no lecturer', 401: 'Not signed in', 403: 'Outside your scope', 404: 'No such team or user' })
  async addMember(@CurrentUser() actor: UserPrincipal, @ValidParam('id', z.uuid()) id: string, @ValidBody(AddMemberBody) body: Parsed<typeof AddMemberBody>) {
    await this.requireManaged(actor, id);
    return this.teams.addMember(id, body);
  }

  @Delete(':id/members/:userId')
  @Access.user('teams.manage')
  @ApiResult(200, TeamView, 'Left the team', { 401: 'Not signed in', 403: 'Outside your scope', 404: 'No such team or member', 409: 'The last member stays' })
  async removeMember(@CurrentUser() actor: UserPrincipal, @ValidParam('id', z.uuid()) id: string, @ValidParam('userId', z.uuid()) userId: string) {
    await this.requireManaged(actor, id);
    return this.teams.removeMember(id, userId);
  }

  private async requireManaged(actor: UserPrincipal, id: string): Promise<void> {
    const team = await this.teams.require(id);
    if (!(await this.access.reaches(actor.scopeCode, team.regionCode))) throw new ForbiddenException(`Team ${id} is outside your scope (${actor.scopeCode})`);
  }
}
