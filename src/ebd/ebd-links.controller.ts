import { Controller, Get, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, regionIn, UserPrincipal } from '../auth/access.decorator';
import { ApiResult, Parsed, ValidBody, ValidParam } from '../infra/http/validation';
import { RegionCode } from '../kernel/region-code';
import { EbdLinkList, EbdLinkView, SaveLinkBody } from './ebd.dto';
import { EbdLinksService } from './ebd-links.service';

/** 应急广播平台对接: each county platform's identity and link to the platform above it. */
@ApiTags('ebd')
@Controller('api/v1/ebd/links')
export class EbdLinksController {
  constructor(private readonly links: EbdLinksService) {}

  @Get()
  @Access.user('ebd.read')
  @ApiResult(200, EbdLinkList, 'The links of the counties in your scope, with whether each is up', {
    401: 'Not signed in',
    403: 'Not allowed',
  })
  list(@CurrentUser() actor: UserPrincipal) {
    return this.links.list(actor);
  }

  @Get(':countyCode')
  @Access.user('ebd.read', regionIn('param', 'countyCode'))
  @ApiResult(200, EbdLinkView, "A county's link", {
    401: 'Not signed in',
    403: 'Outside your scope',
    404: 'No link for this county',
  })
  get(@ValidParam('countyCode', RegionCode) countyCode: string) {
    return this.links.get(countyCode);
  }

  @Put(':countyCode')
  @Access.user('ebd.manage', regionIn('param', 'countyCode'))
  @ApiResult(200, EbdLinkView, 'Saved: packages from now on use it', {
    400: 'Invalid body (a public key off the curve, a malformed EBRID, a region that is no county)',
    401: 'Not signed in',
    403: 'Not an admin of the county',
    404: 'No such region',
  })
  save(
    @CurrentUser() actor: UserPrincipal,
    @ValidParam('countyCode', RegionCode) countyCode: string,
    @ValidBody(SaveLinkBody) body: Parsed<typeof SaveLinkBody>,
  ) {
    return this.links.save(actor, countyCode, body);
  }
}
