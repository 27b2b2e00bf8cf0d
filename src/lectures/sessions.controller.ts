import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Access, CurrentUser, entityIn, regionIn, UserPrincipal } from '../auth/access.decorator';
import { ApiResult, Parsed, ValidBody, ValidParam, ValidQuery } from '../infra/http/validation';
import { CompleteSessionBody, CreateSessionBody, SessionList, SessionsQuery, SessionView } from './lectures.dto';
import { SessionsService } from './sessions.service';

/** Lecture sessions (宣讲), on site, on air at 17:30 or online, and their completion into the ledger. */
@ApiTags('lectures')
@Controller('api/v1/lecture-sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post()
  @HttpCode(201)
  @Access.user('sessions.register', regionIn('body', 'regionCode'))
  @ApiResult(201, SessionView, 'Registered; an on-air one is in the 17:30 rundown of its region on its date', {
    400: 'Invalid body: a lecturer without their team, lecturers outside the team, a topic of another county',
    401: 'Not signed in',
    403: 'Outside your scope, or not your team',
    404: 'No such topic, team, lecturer, order or recording',
    409: 'The recording does not fit the slot’s window (the regions and seconds over are listed), is not ready, or the order is not accepted',
  })
  create(@CurrentUser() actor: UserPrincipal, @ValidBody(CreateSessionBody) body: Parsed<typeof CreateSessionBody>) {
    return this.sessions.create(actor, body);
  }

  @Get()
  @Access.user('sessions.read', regionIn('query', 'region'))
  @ApiResult(200, SessionList, 'Sessions of a region and below, by start', {
    400: 'Invalid query',
    401: 'Not signed in',
    403: 'Outside your scope',
  })
  list(@CurrentUser() actor: UserPrincipal, @ValidQuery(SessionsQuery) query: Parsed<typeof SessionsQuery>) {
    return this.sessions.list(actor, query);
  }

  @Get(':id')
  @Access.user('sessions.read', entityIn('param', 'id', 'lecture-session'))
  @ApiResult(200, SessionView, 'One session', {
    401: 'Not signed in',
    403: 'Outside your scope',
    404: 'No such session',
  })
  get(@ValidParam('id', z.uuid()) id: string) {
    return this.sessions.get(id);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @Access.user('sessions.complete', entityIn('param', 'id', 'lecture-session'))
  @ApiResult(
    200,
    SessionView,
    'Completed: its ledger entry, the volunteers’ hours and everyone’s points are recorded',
    {
      400: 'Invalid body, or an unknown volunteer id',
      401: 'Not signed in',
      403: 'Outside your scope, or not your session',
      404: 'No such session',
      409: 'Completed or cancelled already, or on air (completed by the reconciliation)',
    },
  )
  complete(
    @CurrentUser() actor: UserPrincipal,
    @ValidParam('id', z.uuid()) id: string,
    @ValidBody(CompleteSessionBody) body: Parsed<typeof CompleteSessionBody>,
  ) {
    return this.sessions.complete(actor, id, body);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Access.user('sessions.register', entityIn('param', 'id', 'lecture-session'))
  @ApiResult(200, SessionView, 'Cancelled; an on-air one leaves the rundown', {
    401: 'Not signed in',
    403: 'Outside your scope, or not your session',
    404: 'No such session',
    409: 'Not planned any more',
  })
  cancel(@CurrentUser() actor: UserPrincipal, @ValidParam('id', z.uuid()) id: string) {
    return this.sessions.cancel(actor, id);
  }
}
