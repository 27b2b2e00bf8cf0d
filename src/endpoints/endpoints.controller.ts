import { Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Access, CurrentUser, entityIn, regionIn, UserPrincipal } from '../auth/access.decorator';
import { ApiResult, Parsed, ValidBody, ValidParam, ValidQuery } from '../infra/http/validation';
import {
  CreatedEndpoint,
  CreateEndpointBody,
  EndpointPage,
  EndpointView,
  EnrollmentCodeView,
  ListEndpointsQuery,
  UpdateEndpointBody,
} from './endpoints.dto';
import { EndpointsService } from './endpoints.service';

const EndpointId = z.uuid();
const SCOPED_ERRORS = {
  401: 'Not signed in',
  403: 'Your role may not, or the endpoint is outside your scope',
  404: 'No such endpoint',
};

/** Operators manage loudspeakers: register them, hand out enrollment codes, watch and revoke them. */
@ApiTags('endpoints')
@Controller('api/v1/endpoints')
export class EndpointsController {
  constructor(private readonly endpoints: EndpointsService) {}

  @Post()
  @HttpCode(201)
  @Access.user('endpoints.manage', regionIn('body', 'regionCode'))
  @ApiResult(201, CreatedEndpoint, 'Registered; hand the one-time enrollment code to the installer', {
    400: 'Invalid body',
    401: 'Not signed in',
    403: 'Your role may not, or the region is outside your scope',
    404: 'No such region',
  })
  create(@CurrentUser() actor: UserPrincipal, @ValidBody(CreateEndpointBody) body: Parsed<typeof CreateEndpointBody>) {
    return this.endpoints.create(actor, body);
  }

  @Get()
  @Access.user('endpoints.read', regionIn('query', 'region'))
  @ApiResult(200, EndpointPage, 'Endpoints in the subtree, in pages', {
    400: 'Invalid query',
    401: 'Not signed in',
    403: 'Outside your scope',
    404: 'No such region',
  })
  list(@CurrentUser() actor: UserPrincipal, @ValidQuery(ListEndpointsQuery) query: Parsed<typeof ListEndpointsQuery>) {
    return this.endpoints.list(actor, query);
  }

  @Get(':id')
  @Access.user('endpoints.read', entityIn('param', 'id', 'endpoint'))
  @ApiResult(200, EndpointView, 'One endpoint', SCOPED_ERRORS)
  get(@ValidParam('id', EndpointId) id: string) {
    return this.endpoints.get(id);
  }

  @Patch(':id')
  @Access.user('endpoints.manage', entityIn('param', 'id', 'endpoint'))
  @ApiResult(200, EndpointView, 'Where the loudspeaker stands (reported up in the next EBRDTInfo)', {
    400: 'Invalid body: a coordinate out of range, or only one of the two',
    ...SCOPED_ERRORS,
  })
  update(
    @CurrentUser() actor: UserPrincipal,
    @ValidParam('id', EndpointId) id: string,
    @ValidBody(UpdateEndpointBody) body: Parsed<typeof UpdateEndpointBody>,
  ) {
    return this.endpoints.locate(actor, id, body);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @Access.user('endpoints.manage', entityIn('param', 'id', 'endpoint'))
  @ApiResult(
    200,
    EndpointView,
    'The device token no longer works, and any unused enrollment code is void',
    SCOPED_ERRORS,
  )
  revoke(@CurrentUser() actor: UserPrincipal, @ValidParam('id', EndpointId) id: string) {
    return this.endpoints.revoke(actor, id);
  }

  @Post(':id/enrollment-code')
  @HttpCode(201)
  @Access.user('endpoints.manage', entityIn('param', 'id', 'endpoint'))
  @ApiResult(
    201,
    EnrollmentCodeView,
    'A new one-time code (for a replaced or revoked device); any earlier unused code is void',
    SCOPED_ERRORS,
  )
  reissueCode(@CurrentUser() actor: UserPrincipal, @ValidParam('id', EndpointId) id: string) {
    return this.endpoints.reissueCode(actor, id);
  }
}
