import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Access, CurrentUser, entityIn, UserPrincipal } from '../auth/access.decorator';
import { ApiResult, Parsed, ValidBody, ValidParam, ValidQuery } from '../infra/http/validation';
import { CreateProgrammeBody, ListProgrammesQuery, ProgrammePage, ProgrammeView } from './programmes.dto';
import { ProgrammesService } from './programmes.service';

/** Operators compose programmes from ready media, to schedule into the 17:30 slot. */
@ApiTags('programmes')
@Controller('api/v1/programmes')
export class ProgrammesController {
  constructor(private readonly programmes: ProgrammesService) {}

  @Post()
  @HttpCode(201)
  @Access.user('programmes.manage')
  @ApiResult(201, ProgrammeView, 'Created; its duration is the sum of its segments', {
    400: 'Invalid body',
    401: 'Not signed in',
    403: 'Your role may not, or a medium is outside your scope',
    404: 'A medium does not exist',
    409: 'A medium is not ready (still processing, or failed)',
  })
  create(
    @CurrentUser() actor: UserPrincipal,
    @ValidBody(CreateProgrammeBody) body: Parsed<typeof CreateProgrammeBody>,
  ) {
    return this.programmes.create(actor, body);
  }

  @Get()
  @Access.user('programmes.read')
  @ApiResult(200, ProgrammePage, 'Programmes in your scope, newest first', {
    400: 'Invalid query',
    401: 'Not signed in',
  })
  list(
    @CurrentUser() actor: UserPrincipal,
    @ValidQuery(ListProgrammesQuery) query: Parsed<typeof ListProgrammesQuery>,
  ) {
    return this.programmes.list(actor, query);
  }

  @Get(':id')
  @Access.user('programmes.read', entityIn('param', 'id', 'programme'))
  @ApiResult(200, ProgrammeView, 'One programme', {
    401: 'Not signed in',
    403: 'Outside your scope',
    404: 'No such programme',
  })
  get(@ValidParam('id', z.uuid()) id: string) {
    return this.programmes.get(id);
  }
}
