import { Controller, Delete, Get, HttpCode, Patch, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Access, CurrentUser, entityIn, regionIn, UserPrincipal } from '../auth/access.decorator';
import { ApiResult, Parsed, ValidBody, ValidParam, ValidQuery } from '../infra/http/validation';
import { RegionCode } from '../kernel/region-code';
import {
  CoverageView,
  DateQuery,
  ReadinessView,
  BroadcastCheck,
  BroadcastList,
  BroadcastView,
  CreateBroadcastBody,
  ListBroadcastsQuery,
  PatchBroadcastBody,
  RundownQuery,
  RundownView,
  SlotBody,
  SlotList,
  SlotView,
} from './scheduling.dto';
import { countyDate } from '../kernel/county-time';
import { ReadinessService } from './readiness.service';
import { SchedulingService } from './scheduling.service';

const BROADCAST_ERRORS = {
  401: 'Not signed in',
  403: 'Your role may not, or it reaches outside your scope',
  404: 'No such broadcast',
};

const CREATE_ERRORS = {
  400: 'Invalid body, a past date, targets in two counties, an unknown slot or an unsupported recurrence',
  401: 'Not signed in',
  403: 'Your role may not, or a target or the programme is outside your scope',
  404: 'No such programme or region',
};

/** Operators put programmes into the county's slots, for regions in their scope. */
@ApiTags('scheduling')
@Controller('api/v1')
export class SchedulingController {
  constructor(
    private readonly scheduling: SchedulingService,
    private readonly readinessChecks: ReadinessService,
  ) {}

  @Post('broadcasts')
  @HttpCode(201)
  @Access.user('schedule.manage', regionIn('body', 'regionCodes'))
  @ApiResult(201, BroadcastView, 'Scheduled; the affected playlists are recompiled and their endpoints told', {
    ...CREATE_ERRORS,
    409: 'It would overflow the window of the regions and dates listed in details (with the seconds over)',
  })
  create(
    @CurrentUser() actor: UserPrincipal,
    @ValidBody(CreateBroadcastBody) body: Parsed<typeof CreateBroadcastBody>,
  ) {
    return this.scheduling.createBroadcast(actor, body);
  }

  @Post('broadcasts/check')
  @HttpCode(200)
  @Access.user('schedule.manage', regionIn('body', 'regionCodes'))
  @ApiResult(
    200,
    BroadcastCheck,
    'Whether POST /broadcasts with this body would fit every window; nothing is saved',
    CREATE_ERRORS,
  )
  check(@CurrentUser() actor: UserPrincipal, @ValidBody(CreateBroadcastBody) body: Parsed<typeof CreateBroadcastBody>) {
    return this.scheduling.checkBroadcast(actor, body);
  }

  @Get('broadcasts')
  @Access.user('schedule.read', regionIn('query', 'region'))
  @ApiResult(200, BroadcastList, 'Broadcasts (not cancelled) with a target in the subtree', {
    400: 'Invalid query',
    401: 'Not signed in',
    403: 'Outside your scope',
  })
  list(@ValidQuery(ListBroadcastsQuery) query: Parsed<typeof ListBroadcastsQuery>) {
    return this.scheduling.listBroadcasts(query.region);
  }

  @Get('broadcasts/:id')
  @Access.user('schedule.read', entityIn('param', 'id', 'broadcast'))
  @ApiResult(200, BroadcastView, 'One scheduled broadcast', BROADCAST_ERRORS)
  get(@ValidParam('id', z.uuid()) id: string) {
    return this.scheduling.getBroadcast(id);
  }

  @Patch('broadcasts/:id')
  @Access.user('schedule.manage', entityIn('param', 'id', 'broadcast'))
  @ApiResult(200, BroadcastView, 'Changed: a recurrence ended or extended, or moved in the running order', {
    ...BROADCAST_ERRORS,
    400: 'Invalid body',
    409: 'Cancelled already, or extending it would overflow the listed regions and dates',
  })
  patch(
    @ValidParam('id', z.uuid()) id: string,
    @ValidBody(PatchBroadcastBody) body: Parsed<typeof PatchBroadcastBody>,
  ) {
    return this.scheduling.patchBroadcast(id, body);
  }

  @Delete('broadcasts/:id')
  @HttpCode(204)
  @Access.user('schedule.manage', entityIn('param', 'id', 'broadcast'))
  @ApiResult(204, null, 'Cancelled: it leaves the rundown and the playlists (it is kept for reports)', BROADCAST_ERRORS)
  async cancel(@ValidParam('id', z.uuid()) id: string): Promise<void> {
    await this.scheduling.cancelBroadcast(id);
  }

  @Get('regions/:code/rundown')
  @Access.user('schedule.read', regionIn('param', 'code'))
  @ApiResult(200, RundownView, "What the region's endpoints air in the slot on the date, with start times", {
    400: 'Invalid date or unknown slot',
    401: 'Not signed in',
    403: 'Outside your scope',
    404: 'No such region',
  })
  rundown(@ValidParam('code', RegionCode) code: string, @ValidQuery(RundownQuery) query: Parsed<typeof RundownQuery>) {
    return this.scheduling.rundown(code, query);
  }

  @Get('regions/:code/slots')
  @Access.user('schedule.read', regionIn('param', 'code'))
  @ApiResult(200, SlotList, "The county's broadcast slots", {
    400: 'Not a county',
    401: 'Not signed in',
    403: 'Outside your scope',
    404: 'No such region',
  })
  slots(@ValidParam('code', RegionCode) code: string) {
    return this.scheduling.slots(code);
  }

  @Put('regions/:code/slots/:name')
  @Access.user('schedule.manage', regionIn('param', 'code'))
  @ApiResult(200, SlotView, 'Set (county time); every playlist of the county is recompiled', {
    400: 'Invalid body, or not a county',
    401: 'Not signed in',
    403: 'Your role may not, or the county is outside your scope',
    404: 'No such region',
    409: 'What is already scheduled would overflow the new window (regions and dates in details)',
  })
  setSlot(
    @ValidParam('code', RegionCode) code: string,
    @ValidParam('name', z.string().regex(/^[a-z][a-z0-9-]{0,31}$/)) name: string,
    @ValidBody(SlotBody) body: Parsed<typeof SlotBody>,
  ) {
    return this.scheduling.setSlot(code, name, body);
  }

  @Get('regions/:code/readiness')
  @Access.user('schedule.read', regionIn('param', 'code'))
  @ApiResult(200, ReadinessView, 'Endpoints that are offline, lack the current playlist, or lack its media', {
    400: 'Invalid date',
    401: 'Not signed in',
    403: 'Outside your scope',
    404: 'No such region',
  })
  readiness(@ValidParam('code', RegionCode) code: string, @ValidQuery(DateQuery) query: Parsed<typeof DateQuery>) {
    return this.readinessChecks.readiness(code, query.date ?? countyDate(new Date()));
  }

  @Get('regions/:code/coverage')
  @Access.user('schedule.read', regionIn('param', 'code'))
  @ApiResult(
    200,
    CoverageView,
    'Per item and region: endpoints that played, failed, were interrupted or missed it, from their receipts',
    {
      400: 'Invalid date',
      401: 'Not signed in',
      403: 'Outside your scope',
      404: 'No such region',
    },
  )
  coverage(@ValidParam('code', RegionCode) code: string, @ValidQuery(DateQuery) query: Parsed<typeof DateQuery>) {
    return this.readinessChecks.coverage(code, query.date ?? countyDate(new Date()));
  }
}
