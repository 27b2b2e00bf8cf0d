import { Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  Access,
  CurrentUser,
  CurrentVolunteer,
  entityIn,
  regionIn,
  UserPrincipal,
  VolunteerPrincipal,
} from '../auth/access.decorator';
import { ApiResult, Parsed, ValidBody, ValidParam, ValidQuery } from '../infra/http/validation';
import { CatalogueService } from './catalogue.service';
import { CounterService } from './counter.service';
import {
  CreateItemBody,
  ItemsQuery,
  RedeemItemBody,
  RedemptionCheckView,
  RedemptionItemList,
  RedemptionItemView,
  RedemptionReceiptView,
  UpdateItemBody,
} from './redemptions.dto';

const COUNTER_ERRORS = {
  400: 'Invalid body, or the volunteer’s code is not valid or has expired',
  401: 'Not signed in',
  403: 'Your role may not; the item or the volunteer is outside your scope; or the volunteer is not of the item’s region',
  404: 'No such item or volunteer',
};

/** Points redemption (积分兑换): a county's or township's catalogue, and the counter where volunteers redeem. */
@ApiTags('redemptions')
@Controller('api/v1')
export class RedemptionsController {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly counter: CounterService,
  ) {}

  @Get('redemption-items')
  @Access.user('points.manage', regionIn('query', 'region'))
  @ApiResult(200, RedemptionItemList, 'The items kept by a region and the regions below it', {
    400: 'Invalid query',
    401: 'Not signed in',
    403: 'Your role may not, or outside your scope',
  })
  list(@CurrentUser() actor: UserPrincipal, @ValidQuery(ItemsQuery) query: Parsed<typeof ItemsQuery>) {
    return this.catalogue.list(actor, query);
  }

  @Get('volunteer/redemption-items')
  @Access.volunteer()
  @ApiResult(200, RedemptionItemList, 'What the volunteer may redeem at their county’s and township’s counters', {
    401: 'No live volunteer card on this phone',
  })
  offered(@CurrentVolunteer() volunteer: VolunteerPrincipal) {
    return this.catalogue.offeredTo(volunteer);
  }

  @Post('redemption-items')
  @HttpCode(201)
  @Access.user('points.manage', regionIn('body', 'regionCode'))
  @ApiResult(201, RedemptionItemView, 'On the catalogue; its stock is a goods_stocked ledger entry', {
    400: 'Invalid body, or a village (a county or township keeps a catalogue)',
    401: 'Not signed in',
    403: 'Your role may not, or outside your scope',
    404: 'No such region',
    409: 'The region has an item of that name',
  })
  create(@CurrentUser() actor: UserPrincipal, @ValidBody(CreateItemBody) body: Parsed<typeof CreateItemBody>) {
    return this.catalogue.create(actor, body);
  }

  @Patch('redemption-items/:id')
  @Access.user('points.manage', entityIn('param', 'id', 'redemption-item'))
  @ApiResult(200, RedemptionItemView, 'Changed; a stock or price change is a goods_stocked ledger entry', {
    400: 'Invalid body',
    401: 'Not signed in',
    403: 'Your role may not, or outside your scope',
    404: 'No such item',
    409: 'The stock would go below zero',
  })
  update(
    @CurrentUser() actor: UserPrincipal,
    @ValidParam('id', z.uuid()) id: string,
    @ValidBody(UpdateItemBody) body: Parsed<typeof UpdateItemBody>,
  ) {
    return this.catalogue.update(actor, id, body);
  }

  @Post('redemptions/check')
  @HttpCode(200)
  @Access.user('points.manage', entityIn('body', 'itemId', 'redemption-item'))
  @ApiResult(200, RedemptionCheckView, 'Who the code names, their points and the cost, to confirm; nothing changes', {
    ...COUNTER_ERRORS,
    409: 'The item was retired',
  })
  check(@CurrentUser() actor: UserPrincipal, @ValidBody(RedeemItemBody) body: Parsed<typeof RedeemItemBody>) {
    return this.counter.check(actor, body);
  }

  @Post('redemptions')
  @HttpCode(201)
  @Access.user('points.manage', entityIn('body', 'itemId', 'redemption-item'))
  @ApiResult(201, RedemptionReceiptView, 'Redeemed: stock and points taken together, one points_redeemed entry', {
    ...COUNTER_ERRORS,
    409: 'Not enough stock, not enough points, or retired: nothing changed',
  })
  redeem(@CurrentUser() actor: UserPrincipal, @ValidBody(RedeemItemBody) body: Parsed<typeof RedeemItemBody>) {
    return this.counter.redeem(actor, body);
  }
}
