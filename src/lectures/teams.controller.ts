import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Access, CurrentUser, regionIn, UserPrincipal } from '../auth/access.decorator';
import { ApiResult, Parsed, ValidBody, ValidParam, ValidQuery } from '../infra/http/validation';
import { AddMemberBody, CreateTeamBody, TeamList, TeamsQuery, TeamView } from './lectures.dto';
import { TeamsService } from './teams.service';

/** Lecture teams (宣讲队) and their lecturers. */
@ApiTags('lectures')
@Controller('api/v1/teams')
export class TeamsController {
  constructor(private readonly teams: TeamsService) {}

  @Post()
  @HttpCode(201)
  @Access.user('teams.manage', regionIn('body', 'regionCode'))
  @ApiResult(201, TeamView, 'Formed', {
    400: 'Invalid body, or a member who is no lecturer',
    401: 'Not signed in',
    403: 'Outside your scope, or a lecturer working elsewhere',
    409: 'The region has a team of that name',
  })
  create(@CurrentUser() actor: UserPrincipal, @ValidBody(CreateTeamBody) body: Parsed<typeof CreateTeamBody>) {
    return this.teams.create(actor, body);
  }

  @Get()
  @Access.user('teams.read', regionIn('query', 'region'))
  @ApiResult(200, TeamList, 'Teams working in the region: its own and those of the township and county above it', {
    400: 'Invalid query',
    401: 'Not signed in',
    403: 'Outside your scope',
  })
  list(@CurrentUser() actor: UserPrincipal, @ValidQuery(TeamsQuery) query: Parsed<typeof TeamsQuery>) {
    return this.teams.list(actor, query);
  }

  @Get(':id')
  @Access.user('teams.read')
  @ApiResult(200, TeamView, 'One team', { 401: 'Not signed in', 403: 'Works where you do not', 404: 'No such team' })
  get(@CurrentUser() actor: UserPrincipal, @ValidParam('id', z.uuid()) id: string) {
    return this.teams.get(actor, id);
  }

  @Post(':id/members')
  @Access.user('teams.manage')
  @HttpCode(200)
  @ApiResult(200, TeamView, 'Joined (or their title changed)', {
    400: 'Invalid body, or no lecturer',
    401: 'Not signed in',
    403: 'Outside your scope',
    404: 'No such team or user',
  })
  addMember(
    @CurrentUser() actor: UserPrincipal,
    @ValidParam('id', z.uuid()) id: string,
    @ValidBody(AddMemberBody) body: Parsed<typeof AddMemberBody>,
  ) {
    return this.teams.addMember(actor, id, body);
  }

  @Delete(':id/members/:userId')
  @Access.user('teams.manage')
  @ApiResult(200, TeamView, 'Left the team', {
    401: 'Not signed in',
    403: 'Outside your scope',
    404: 'No such team or member',
    409: 'The last member stays',
  })
  removeMember(
    @CurrentUser() actor: UserPrincipal,
    @ValidParam('id', z.uuid()) id: string,
    @ValidParam('userId', z.uuid()) userId: string,
  ) {
    return this.teams.removeMember(actor, id, userId);
  }
}
