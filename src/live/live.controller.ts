import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Access, CurrentUser, entityIn, regionIn, UserPrincipal } from '../auth/access.decorator';
import { AuditService } from '../audit/audit.service';
import { AuditTrail } from '../audit/audit.controller';
import { ApiResult, Parsed, ValidBody, ValidParam, ValidQuery } from '../infra/http/validation';
import { ListLiveQuery, LiveSessionList, LiveSessionView, StartedLive, StartLiveBody } from './live.dto';
import { LiveService } from './live.service';

/** Live voice (实时喊话): a speaker's microphone to the loudspeakers of chosen regions, through Icecast. */
@ApiTags('live')
@Controller('api/v1/live-sessions')
export class LiveController {
  constructor(
    private readonly live: LiveService,
    private readonly audit: AuditService,
  ) {}

  @Post()
  @Access.user('live.speak', regionIn('body', 'regionCodes'))
  @ApiResult(201, StartedLive, 'The regions are yours: open the WebSocket at ingestUrl and send the audio', {
    400: 'Invalid body, or regions of more than one county',
    401: 'Not signed in',
    403: 'Not an operator or approver, or a region outside your scope',
    404: 'No such region',
    409: 'A region overlaps one someone is speaking to now',
    503: 'Live audio is not configured on this server (ICECAST_URL)',
  })
  start(@CurrentUser() actor: UserPrincipal, @ValidBody(StartLiveBody) body: Parsed<typeof StartLiveBody>) {
    return this.live.start(actor, body);
  }

  @Get()
  @Access.user('live.read')
  @ApiResult(200, LiveSessionList, 'Live sessions in your scope, newest first', {
    400: 'Invalid query',
    401: 'Not signed in',
  })
  list(@CurrentUser() actor: UserPrincipal, @ValidQuery(ListLiveQuery) query: Parsed<typeof ListLiveQuery>) {
    return this.live.list(actor, query);
  }

  @Get(':id')
  @Access.user('live.read', entityIn('param', 'id', 'live-session'))
  @ApiResult(200, LiveSessionView, 'One live session', {
    401: 'Not signed in',
    403: 'Outside your scope',
    404: 'No such session',
  })
  get(@ValidParam('id', z.uuid()) id: string) {
    return this.live.get(id);
  }

  @Get(':id/audit')
  @Access.user('audit.read', entityIn('param', 'id', 'live-session'))
  @ApiResult(200, AuditTrail, 'Who started and ended it, when, for which regions, and why it ended', {
    401: 'Not signed in',
    403: 'Outside your scope',
    404: 'No such session',
  })
  async trail(@ValidParam('id', z.uuid()) id: string) {
    return { entries: await this.audit.list('live-session', id) };
  }

  @Post(':id/end')
  @HttpCode(200)
  @Access.user('live.speak', entityIn('param', 'id', 'live-session'))
  @ApiResult(200, LiveSessionView, 'Ended (or had ended): the loudspeakers are told, the recording becomes media', {
    401: 'Not signed in',
    403: 'Neither its speaker nor an approver, or outside your scope',
    404: 'No such session',
  })
  end(@CurrentUser() actor: UserPrincipal, @ValidParam('id', z.uuid()) id: string) {
    return this.live.end(actor, id);
  }
}
