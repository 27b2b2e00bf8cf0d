import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Access, CurrentUser, entityIn, regionIn, UserPrincipal } from '../auth/access.decorator';
import { ApiResult, Parsed, ValidBody, ValidParam, ValidQuery } from '../infra/http/validation';
import { DispatchSuggestions } from './dispatch-suggestions.service';
import {
  DispatchOrderBody,
  OrderList,
  OrdersQuery,
  OrderView,
  PlaceOrderBody,
  RateOrderBody,
  RatingLinkView,
  TeamSuggestionList,
} from './lectures.dto';
import { OrdersService } from './orders.service';

const Id = () => ValidParam('id', z.uuid());
const ILLEGAL = 'Not allowed in the order’s state (the states it must be in are named)';

/** The four-order flow (点单 · 派单 · 接单 · 评单) for lecture requests from villages. */
@ApiTags('lectures')
@Controller('api/v1/orders')
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly suggestions: DispatchSuggestions,
  ) {}

  @Post()
  @HttpCode(201)
  @Access.user('orders.place', regionIn('body', 'regionCode'))
  @ApiResult(201, OrderView, '点单: ordered', {
    400: 'Invalid body, or not a village',
    401: 'Not signed in',
    403: 'Outside your scope',
    404: 'No such topic or region',
    409: 'The topic is off the menu',
  })
  place(@CurrentUser() actor: UserPrincipal, @ValidBody(PlaceOrderBody) body: Parsed<typeof PlaceOrderBody>) {
    return this.orders.place(actor, body);
  }

  @Get()
  @Access.user('orders.read', regionIn('query', 'region'))
  @ApiResult(200, OrderList, 'Orders of a region and below, newest first', {
    400: 'Invalid query',
    401: 'Not signed in',
    403: 'Outside your scope',
  })
  list(@CurrentUser() actor: UserPrincipal, @ValidQuery(OrdersQuery) query: Parsed<typeof OrdersQuery>) {
    return this.orders.list(actor, query);
  }

  @Get(':id')
  @Access.user('orders.read', entityIn('param', 'id', 'order'))
  @ApiResult(200, OrderView, 'One order', { 401: 'Not signed in', 403: 'Outside your scope', 404: 'No such order' })
  get(@Id() id: string) {
    return this.orders.get(id);
  }

  @Get(':id/team-suggestions')
  @Access.user('orders.dispatch', entityIn('param', 'id', 'order'))
  @ApiResult(
    200,
    TeamSuggestionList,
    'The teams that may take the order, ranked: nearby, same field, fewest open orders; the operator still chooses',
    { 401: 'Not signed in', 403: 'Your role may not, or outside your scope', 404: 'No such order' },
  )
  suggestTeams(@Id() id: string) {
    return this.suggestions.forOrder(id);
  }

  @Post(':id/dispatch')
  @HttpCode(200)
  @Access.user('orders.dispatch', entityIn('param', 'id', 'order'))
  @ApiResult(200, OrderView, '派单: dispatched to a team, which must accept within 24 hours and deliver within 72', {
    400: 'Invalid body, or a team that does not work there',
    401: 'Not signed in',
    403: 'Outside your scope, or the ordering village itself',
    404: 'No such order or team',
    409: `${ILLEGAL}; or you placed it`,
  })
  dispatch(
    @CurrentUser() actor: UserPrincipal,
    @Id() id: string,
    @ValidBody(DispatchOrderBody) body: Parsed<typeof DispatchOrderBody>,
  ) {
    return this.orders.dispatch(actor, id, body);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @Access.user('orders.accept', entityIn('param', 'id', 'order'))
  @ApiResult(200, OrderView, '接单: accepted by a member of the team', {
    401: 'Not signed in',
    403: 'Not a member of the team',
    404: 'No such order',
    409: ILLEGAL,
  })
  accept(@CurrentUser() actor: UserPrincipal, @Id() id: string) {
    return this.orders.accept(actor, id);
  }

  @Post(':id/rating')
  @HttpCode(200)
  @Access.user('orders.rate', entityIn('param', 'id', 'order'))
  @ApiResult(200, OrderView, '评单: the villager’s rating, recorded in the ledger', {
    400: 'Invalid body',
    401: 'Not signed in',
    403: 'Outside your scope',
    404: 'No such order',
    409: `${ILLEGAL}; or you dispatched it`,
  })
  rate(
    @CurrentUser() actor: UserPrincipal,
    @Id() id: string,
    @ValidBody(RateOrderBody) body: Parsed<typeof RateOrderBody>,
  ) {
    return this.orders.rate(actor, id, body);
  }

  @Get(':id/rating-link')
  @Access.user('orders.read', entityIn('param', 'id', 'order'))
  @ApiResult(200, RatingLinkView, 'The one-time rating link (评单) of a delivered order, for the villagers to scan', {
    401: 'Not signed in',
    403: 'Outside your scope, or not a member of the team it was dispatched to',
    404: 'No such order',
    409: 'Not delivered yet, or rated already',
  })
  ratingLink(@CurrentUser() actor: UserPrincipal, @Id() id: string) {
    return this.orders.ratingLink(actor, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Access.user('orders.place', entityIn('param', 'id', 'order'))
  @ApiResult(200, OrderView, 'Withdrawn', {
    401: 'Not signed in',
    403: 'Outside your scope',
    404: 'No such order',
    409: ILLEGAL,
  })
  cancel(@CurrentUser() actor: UserPrincipal, @Id() id: string) {
    return this.orders.cancel(actor, id);
  }
}
