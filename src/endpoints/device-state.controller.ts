import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Access, CurrentUser, entityIn, regionIn, UserPrincipal } from '../auth/access.decorator';
import { ApiResult, Parsed, ValidParam, ValidQuery } from '../infra/http/validation';
import {
  EndpointMap,
  FaultHistory,
  HistoryQuery,
  MapQuery,
  OpenFaultList,
  ScopeQuery,
  SilentVillages,
} from './device-state.dto';
import { DeviceStateService } from './device-state.service';

const IN_SCOPE_ERRORS = {
  400: 'Invalid query',
  401: 'Not signed in',
  403: 'Your role may not, or the region is outside your scope',
  404: 'No such region',
};

/** What the loudspeakers report, for the people who keep every village covered: faults, silent villages, the map. */
@ApiTags('endpoints')
@Controller('api/v1/endpoints')
export class DeviceStateController {
  constructor(private readonly states: DeviceStateService) {}

  @Get('faults')
  @Access.user('endpoints.read', regionIn('query', 'region'))
  @ApiResult(200, OpenFaultList, 'Faults loudspeakers in service report now, newest first', IN_SCOPE_ERRORS)
  openFaults(@CurrentUser() actor: UserPrincipal, @ValidQuery(ScopeQuery) query: Parsed<typeof ScopeQuery>) {
    return this.states.openFaults(actor, query);
  }

  @Get('silent-villages')
  @Access.user('endpoints.read', regionIn('query', 'region'))
  @ApiResult(
    200,
    SilentVillages,
    'Villages with no working loudspeaker (enrolled, online, not in fault), those with none at all among them',
    IN_SCOPE_ERRORS,
  )
  silentVillages(@CurrentUser() actor: UserPrincipal, @ValidQuery(ScopeQuery) query: Parsed<typeof ScopeQuery>) {
    return this.states.silentVillages(actor, query);
  }

  @Get('map')
  @Access.user('endpoints.read', regionIn('query', 'region'))
  @ApiResult(
    200,
    EndpointMap,
    'Every loudspeaker in service in the region, with its position and state',
    IN_SCOPE_ERRORS,
  )
  map(@ValidQuery(MapQuery) query: Parsed<typeof MapQuery>) {
    return this.states.map(query.region);
  }

  @Get(':id/faults')
  @Access.user('endpoints.read', entityIn('param', 'id', 'endpoint'))
  @ApiResult(200, FaultHistory, "The loudspeaker's fault episodes, newest first", {
    400: 'Invalid query',
    401: 'Not signed in',
    403: 'Your role may not, or the endpoint is outside your scope',
    404: 'No such endpoint',
  })
  faultHistory(@ValidParam('id', z.uuid()) id: string, @ValidQuery(HistoryQuery) query: Parsed<typeof HistoryQuery>) {
    return this.states.faultHistory(id, query.limit);
  }
}
