import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Access, CurrentUser, entityIn, regionIn, UserPrincipal } from '../auth/access.decorator';
import { ApiResult, Parsed, ValidBody, ValidParam, ValidQuery } from '../infra/http/validation';
import {
  CommandDetail,
  CommandPage,
  CommandView,
  DeliveriesQuery,
  IssueCommandBody,
  ListCommandsQuery,
} from './endpoint-commands.dto';
import { EndpointCommandsService } from './endpoint-commands.service';

/** Operators command loudspeakers from the county: one, or every one of a village, township or county in their scope. */
@ApiTags('endpoints')
@Controller('api/v1/endpoint-commands')
export class EndpointCommandsController {
  constructor(private readonly commands: EndpointCommandsService) {}

  @Post()
  @HttpCode(201)
  @Access.user('endpoints.manage', regionIn('body', 'regionCode'), entityIn('body', 'endpointId', 'endpoint'))
  @ApiResult(201, CommandView, 'Stored, with one delivery per enrolled loudspeaker it reaches; sent to those online', {
    400: 'Invalid body',
    401: 'Not signed in',
    403: 'Your role may not, or the region or endpoint is outside your scope',
    404: 'No such region or endpoint',
    409: 'It reaches no enrolled loudspeaker',
  })
  issue(@CurrentUser() actor: UserPrincipal, @ValidBody(IssueCommandBody) body: Parsed<typeof IssueCommandBody>) {
    return this.commands.issue(actor, body);
  }

  @Get()
  @Access.user('endpoints.read', regionIn('query', 'region'))
  @ApiResult(200, CommandPage, 'Commands issued in the subtree, newest first, with where their deliveries stand', {
    400: 'Invalid query',
    401: 'Not signed in',
    403: 'Outside your scope',
    404: 'No such region',
  })
  list(@CurrentUser() actor: UserPrincipal, @ValidQuery(ListCommandsQuery) query: Parsed<typeof ListCommandsQuery>) {
    return this.commands.list(actor, query);
  }

  @Get(':id')
  @Access.user('endpoints.read', entityIn('param', 'id', 'endpoint-command'))
  @ApiResult(
    200,
    CommandDetail,
    'One command and, a page at a time, each device’s delivery as the device reported it',
    {
      400: 'Invalid query',
      401: 'Not signed in',
      403: 'Outside your scope',
      404: 'No such command',
    },
  )
  get(@ValidParam('id', z.uuid()) id: string, @ValidQuery(DeliveriesQuery) query: Parsed<typeof DeliveriesQuery>) {
    return this.commands.get(id, query);
  }
}
