import { Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access, CurrentVolunteer, type VolunteerPrincipal } from '../auth/access.decorator';
import { VolunteerCards } from '../auth/volunteer-cards';
import { refuseForeignOrigin } from '../auth/web-sessions';
import { ApiResult, Parsed, ValidBody, ValidParam } from '../infra/http/validation';
import { CounterCode, PosterCode, RegisterVolunteerBody, VolunteerCard, VolunteerMe } from './volunteers.dto';
import { VolunteersService } from './volunteers.service';

/**
 * Volunteers (志愿者), with no account: they register from their village's
 * poster and their phone keeps a card (the HttpOnly dalaba_volunteer cookie)
 * that signs them in at sessions and shows their points.
 */
@ApiTags('volunteers')
@Controller('api/v1')
export class VolunteersController {
  constructor(
    private readonly volunteers: VolunteersService,
    private readonly cards: VolunteerCards,
  ) {}

  @Post('public/villages/:posterCode/volunteers')
  @Access.public()
  @ApiResult(
    201,
    VolunteerCard,
    'Registered (201), or the same name and number again (200): the phone gets a card (Set-Cookie dalaba_volunteer: HttpOnly, SameSite=Lax, Secure over HTTPS, a year), replacing any other phone’s',
    {
      400: 'Invalid name or phone number',
      403: 'Sent from a page of another origin',
      404: 'No open poster has this code (closed, replaced or never existed: the same answer)',
      409: 'The village has a volunteer of this name with another number: add a mark that tells you apart',
      429: 'Too many registrations from this address (see Retry-After)',
    },
  )
  async register(
    @ValidParam('posterCode', PosterCode) posterCode: string,
    @ValidBody(RegisterVolunteerBody) body: Parsed<typeof RegisterVolunteerBody>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    // Another site must not put its own card on this phone either.
    refuseForeignOrigin(request);
    const { volunteer, secret, created } = await this.volunteers.register(posterCode, body, request.ip);
    reply.status(created ? 201 : 200).header('set-cookie', this.cards.cookieCarrying(request, secret));
    return volunteer;
  }

  @Get('volunteer/me')
  @Access.volunteer()
  @ApiResult(200, VolunteerMe, 'The volunteer this phone’s card names: village, points and history', {
    401: 'No live card on this phone',
  })
  me(@CurrentVolunteer() volunteer: VolunteerPrincipal) {
    return this.volunteers.me(volunteer);
  }

  @Post('volunteer/me/code')
  @HttpCode(201)
  @Access.volunteer()
  @ApiResult(201, CounterCode, 'A code for the redemption counter to scan, valid for ten minutes', {
    401: 'No live card on this phone',
    403: 'Sent from a page of another origin (or without Origin)',
  })
  code(@CurrentVolunteer() volunteer: VolunteerPrincipal) {
    return this.volunteers.counterCode(volunteer);
  }

  @Delete('volunteer/me/card')
  @HttpCode(204)
  @Access.volunteer()
  @ApiResult(204, null, 'This phone’s card has ended and its cookie is cleared', {
    401: 'No live card on this phone',
    403: 'Sent from a page of another origin (or without Origin)',
  })
  async dropCard(
    @CurrentVolunteer() volunteer: VolunteerPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.volunteers.dropCard(volunteer);
    reply.header('set-cookie', this.cards.clearingCookie(request));
  }
}
