import { Controller, Get, Header, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Access, CurrentUser, entityIn, UserPrincipal } from '../auth/access.decorator';
import { ApiError } from '../infra/http/error-body';
import { ApiResult, Parsed, PlainText, ValidBody, ValidParam, ValidQuery } from '../infra/http/validation';
import {
  CapImportResult,
  DeliveryReport,
  DraftEmergencyBody,
  EmergencyList,
  EmergencyView,
  ListEmergenciesQuery,
} from './emergencies.dto';
import { EmergenciesService } from './emergencies.service';

export const CAP_CONTENT_TYPES = ['application/cap+xml', 'application/xml', 'text/xml'];
const CancelBody = z
  .object({ reason: PlainText.min(1).max(500).optional() })
  .strict()
  .optional();

/** County emergency-broadcast centre: alerts drafted, approved by another person, pushed, tracked. */
@ApiTags('emergencies')
@Controller('api/v1/emergencies')
export class EmergenciesController {
  constructor(private readonly emergencies: EmergenciesService) {}

  @Post()
  @HttpCode(201)
  @Access.user('emergencies.draft')
  @ApiResult(201, EmergencyView, 'Drafted; it waits for an approver (not you)', {
    400: 'Invalid body (e.g. expiry before start, targets in two counties)',
    401: 'Not signed in',
    403: 'Your role may not, or a target or the medium is outside your scope',
    404: 'A region or the medium does not exist',
    409: 'The medium failed processing',
  })
  draft(@CurrentUser() actor: UserPrincipal, @ValidBody(DraftEmergencyBody) body: Parsed<typeof DraftEmergencyBody>) {
    return this.emergencies.draft(actor, body);
  }

  @Post('cap')
  @HttpCode(201)
  @Access.user('emergencies.draft')
  @ApiConsumes(...CAP_CONTENT_TYPES)
  @ApiBody({ description: 'an OASIS CAP 1.2 alert (XML, at most 1 MiB)', schema: { type: 'string' } })
  @ApiResult(
    201,
    CapImportResult,
    'Alert → a new draft; Update → a draft that replaces its reference once approved; Cancel → the reference cancelled',
    {
      401: 'Not signed in',
      403: 'Your role may not, or a region is outside your scope',
      413: 'Larger than 1 MiB',
      415: 'Not sent as XML',
      422: 'Not a valid CAP 1.2 alert (the reason is given), an area that is no region here, or a reference to an unknown alert',
    },
  )
  importCap(@CurrentUser() actor: UserPrincipal, @Req() request: FastifyRequest) {
    if (!Buffer.isBuffer(request.body)) throw new ApiError(415, `Send the alert as ${CAP_CONTENT_TYPES.join(', ')}`);
    return this.emergencies.importCap(actor, request.body);
  }

  @Get()
  @Access.user('emergencies.read')
  @ApiResult(200, EmergencyList, 'Alerts in your scope, newest first', { 400: 'Invalid query', 401: 'Not signed in' })
  list(
    @CurrentUser() actor: UserPrincipal,
    @ValidQuery(ListEmergenciesQuery) query: Parsed<typeof ListEmergenciesQuery>,
  ) {
    return this.emergencies.list(actor, query);
  }

  @Get(':id')
  @Access.user('emergencies.read', entityIn('param', 'id', 'emergency'))
  @ApiResult(200, EmergencyView, 'One alert', { 401: 'Not signed in', 403: 'Outside your scope', 404: 'No such alert' })
  get(@ValidParam('id', z.uuid()) id: string) {
    return this.emergencies.get(id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Access.user('emergencies.approve', entityIn('param', 'id', 'emergency'))
  @ApiResult(200, EmergencyView, 'Approved: it goes live at its start (now, if that has passed)', {
    401: 'Not signed in',
    403: 'Your role may not, or the alert is outside your scope',
    404: 'No such alert',
    409: 'Not a draft, you drafted it, it has expired, or its audio is not ready',
  })
  approve(@CurrentUser() actor: UserPrincipal, @ValidParam('id', z.uuid()) id: string) {
    return this.emergencies.approve(actor, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Access.user('emergencies.cancel', entityIn('param', 'id', 'emergency'))
  @ApiResult(200, EmergencyView, 'Cancelled: a draft is withdrawn; a live alert ends now and devices are told', {
    400: 'Invalid body',
    401: 'Not signed in',
    403: 'Your role may not, or the alert is outside your scope',
    404: 'No such alert',
    409: 'It has already ended, been cancelled or been superseded',
  })
  cancel(
    @CurrentUser() actor: UserPrincipal,
    @ValidParam('id', z.uuid()) id: string,
    @ValidBody(CancelBody) body: Parsed<typeof CancelBody>,
  ) {
    return this.emergencies.cancel(actor, id, body?.reason ? { reason: body.reason } : {});
  }

  @Get(':id/delivery')
  @Access.user('emergencies.read', entityIn('param', 'id', 'emergency'))
  @ApiResult(
    200,
    DeliveryReport,
    'Per target endpoint: pushed, acknowledged, played, failed; counts by region; endpoints not reached',
    {
      401: 'Not signed in',
      403: 'Outside your scope',
      404: 'No such alert',
    },
  )
  delivery(@ValidParam('id', z.uuid()) id: string) {
    return this.emergencies.delivery(id);
  }

  @Get(':id/cap')
  @Access.user('emergencies.read', entityIn('param', 'id', 'emergency'))
  @Header('content-type', 'application/cap+xml; charset=utf-8')
  @ApiProduces('application/cap+xml')
  @ApiResult(200, null, 'The alert as OASIS CAP 1.2 XML (a drill as status Exercise)', {
    401: 'Not signed in',
    403: 'Outside your scope',
    404: 'No such alert',
  })
  exportCap(@ValidParam('id', z.uuid()) id: string) {
    return this.emergencies.exportCap(id);
  }
}
