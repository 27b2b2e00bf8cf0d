import { Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, regionIn, UserPrincipal } from '../auth/access.decorator';
import { ApiResult, Parsed, ValidBody, ValidParam, ValidQuery } from '../infra/http/validation';
import { RegionCode } from '../kernel/region-code';
import { BalancePage, BalanceView, PointsQuery, RateBody, RateView, Redemption, RedeemBody } from './points.dto';
import { PointsService } from './points.service';

/** Points (积分): earned by volunteer and lecture hours, redeemed by operators, every change in the ledger. */
@ApiTags('points')
@Controller('api/v1')
export class PointsController {
  constructor(private readonly points: PointsService) {}

  @Get('points')
  @Access.user('points.manage', regionIn('query', 'region'))
  @ApiResult(200, BalancePage, 'Balances of the volunteers and lecturers of a region', {
    400: 'Invalid query',
    401: 'Not signed in',
    403: 'Your role may not, or outside your scope',
  })
  list(@CurrentUser() actor: UserPrincipal, @ValidQuery(PointsQuery) query: Parsed<typeof PointsQuery>) {
    return this.points.list(actor, query);
  }

  @Get('points/me')
  @Access.user('points.read')
  @ApiResult(200, BalanceView, "A lecturer's own points", { 401: 'Not signed in', 404: 'You are not a lecturer' })
  mine(@CurrentUser() actor: UserPrincipal) {
    return this.points.balanceOf({ type: 'lecturer', id: actor.id });
  }

  @Post('points/redeem')
  @HttpCode(200)
  @Access.user('points.manage')
  @ApiResult(200, Redemption, 'Spent; the balance left and the ledger entry', {
    400: 'Invalid body',
    401: 'Not signed in',
    403: 'Your role may not, or the holder is outside your scope',
    404: 'No such volunteer or lecturer',
    409: 'Not enough points: a balance never goes below zero',
  })
  redeem(@CurrentUser() actor: UserPrincipal, @ValidBody(RedeemBody) body: Parsed<typeof RedeemBody>) {
    return this.points.redeem(actor, body);
  }

  @Get('regions/:code/points-rate')
  @Access.user('points.read')
  @ApiResult(200, RateView, "The county's points for an hour of volunteering or lecturing", {
    400: 'Not a county',
    401: 'Not signed in',
    403: 'A county you do not work in',
    404: 'No such region',
  })
  rate(@CurrentUser() actor: UserPrincipal, @ValidParam('code', RegionCode) code: string) {
    return this.points.countyRate(actor, code);
  }

  @Put('regions/:code/points-rate')
  @Access.user('points.manage', regionIn('param', 'code'))
  @ApiResult(200, RateView, 'Set; it applies to hours recorded from now on', {
    400: 'Invalid body, or not a county',
    401: 'Not signed in',
    403: 'Your role may not, or outside your scope',
    404: 'No such region',
  })
  setRate(@ValidParam('code', RegionCode) code: string, @ValidBody(RateBody) body: Parsed<typeof RateBody>) {
    return this.points.setRate(code, body.pointsPerHour);
  }
}
