import { Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Access } from '../auth/access.decorator';
import { ApiResult, Parsed, ValidBody, ValidParam } from '../infra/http/validation';
import { VillagerLimits } from './villager-limits';
import {
  AiringToday,
  RatingDone,
  RatingInfo,
  Replays,
  VillagePage,
  VillagerOrderBody,
  VillagerOrderView,
  VillagerRatingBody,
} from './villagers.dto';
import { VillagersService } from './villagers.service';

// Anything up to this length is looked up; whatever is not an open code gets the same 404.
const Secret = z.string().max(128);
const PosterCode = () => ValidParam('code', Secret);
const Token = () => ValidParam('token', Secret);

const LIMITED = 'Too many requests from your network or for this village (see Retry-After)';
const NO_POSTER = 'No open poster has this code (closed, replaced or never existed: the same answer)';

/** The villagers' routes, with no account: from the village's poster, and the one-time rating link. */
@ApiTags('villagers')
@Controller('api/v1/public')
@UseGuards(VillagerLimits)
export class VillagersController {
  constructor(private readonly villagers: VillagersService) {}

  @Get('villages/:code')
  @Access.public()
  @ApiResult(200, VillagePage, 'The village’s name, this month’s theme and the topic menu', {
    404: NO_POSTER,
    429: LIMITED,
  })
  page(@PosterCode() code: string) {
    return this.villagers.page(code);
  }

  @Post('villages/:code/orders')
  @HttpCode(201)
  @Access.public()
  @ApiResult(201, VillagerOrderView, '点单: ordered for the village', {
    400: 'Invalid body (a phone number that is not a mainland mobile), or a topic of another county',
    404: `${NO_POSTER}; or no such topic`,
    409: 'The topic is off the menu',
    429: `${LIMITED}; or the village’s orders for today are all placed`,
  })
  order(
    @PosterCode() code: string,
    @ValidBody(VillagerOrderBody) body: Parsed<typeof VillagerOrderBody>,
    @Req() request: FastifyRequest,
  ) {
    return this.villagers.order(code, request.ip, body);
  }

  @Get('villages/:code/today')
  @Access.public()
  @ApiResult(200, AiringToday, 'What the village’s loudspeakers air today, in order', { 404: NO_POSTER, 429: LIMITED })
  today(@PosterCode() code: string) {
    return this.villagers.today(code);
  }

  @Get('villages/:code/replays')
  @Access.public()
  @ApiResult(200, Replays, '线上大讲堂: the evening programmes the village aired in the last 7 days, newest first', {
    404: NO_POSTER,
    429: LIMITED,
  })
  replays(@PosterCode() code: string) {
    return this.villagers.replays(code);
  }

  @Get('ratings/:token')
  @Access.public()
  @ApiResult(200, RatingInfo, 'What the rating link is about (nothing personal), and whether it is spent', {
    404: 'No such rating link',
    429: LIMITED,
  })
  rating(@Token() token: string) {
    return this.villagers.ratingOf(token);
  }

  @Post('ratings/:token')
  @HttpCode(200)
  @Access.public()
  @ApiResult(200, RatingDone, '评单: the villager’s rating, recorded in the ledger; the link is spent', {
    400: 'Invalid body',
    404: 'No such rating link',
    409: 'Rated already (a rating link works once), or the order is not delivered',
    429: LIMITED,
  })
  rate(
    @Token() token: string,
    @ValidBody(VillagerRatingBody) body: Parsed<typeof VillagerRatingBody>,
    @Req() request: FastifyRequest,
  ) {
    return this.villagers.rate(token, request.ip, body);
  }
}
