import { Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  Access,
  CurrentUser,
  CurrentVolunteer,
  entityIn,
  type UserPrincipal,
  type VolunteerPrincipal,
} from '../auth/access.decorator';
import { addressBucket } from '../auth/domain/sign-in-limits';
import { ApiResult, Parsed, ValidBody, ValidParam, ValidQuery } from '../infra/http/validation';
import { RateLimiter } from '../infra/redis/rate-limiter';
import { AttendanceService } from './attendance.service';
import { AttendanceTimes, CheckinBody, CheckinQuery, PublicSessionView, SessionCheckin } from './lectures.dto';

/** Page views of a session's QR page one address may make a minute: a crowd behind one network scans the same code. */
const VIEWS_PER_ADDRESS = { max: 120, windowSeconds: 60 };

/** Signing in and out of a session by its QR code (volunteers), and the code and who came (its lecturers). */
@ApiTags('lectures')
@Controller('api/v1')
export class AttendanceController {
  constructor(
    private readonly attendance: AttendanceService,
    private readonly limits: RateLimiter,
  ) {}

  @Get('public/sessions/:id')
  @Access.publicOrVolunteer()
  @ApiResult(
    200,
    PublicSessionView,
    'The session its QR code names, with the caller’s own sign-in when their phone has a card',
    {
      400: 'Invalid id or key',
      404: 'No session with this id and key (the same answer for either wrong)',
      429: 'Too many requests from this address (see Retry-After)',
    },
  )
  async view(
    @ValidParam('id', z.uuid()) id: string,
    @ValidQuery(CheckinQuery) query: Parsed<typeof CheckinQuery>,
    @CurrentVolunteer({ optional: true }) volunteer: VolunteerPrincipal | null,
    @Req() request: FastifyRequest,
  ) {
    await this.limits.admit(
      `session-page:${addressBucket(request.ip)}`,
      VIEWS_PER_ADDRESS,
      'Too many requests from this address',
    );
    return this.attendance.publicView(id, query.k, volunteer);
  }

  @Post('volunteer/sessions/:id/sign-in')
  @HttpCode(201)
  @Access.volunteer()
  @ApiResult(201, AttendanceTimes, 'Signed in now (once per session)', {
    400: 'Invalid id or key',
    401: 'No live volunteer card on this phone',
    403: 'A session of another county, or sent from a page of another origin',
    404: 'No session with this id and key',
    409: 'Signed in already, too early (it opens an hour before the start), on air, or the session is completed or cancelled',
  })
  signIn(
    @CurrentVolunteer() volunteer: VolunteerPrincipal,
    @ValidParam('id', z.uuid()) id: string,
    @ValidBody(CheckinBody) body: Parsed<typeof CheckinBody>,
  ) {
    return this.attendance.signIn(volunteer, id, body.key);
  }

  @Post('volunteer/sessions/:id/sign-out')
  @HttpCode(200)
  @Access.volunteer()
  @ApiResult(200, AttendanceTimes, 'Signed out now', {
    400: 'Invalid id or key',
    401: 'No live volunteer card on this phone',
    403: 'A session of another county, or sent from a page of another origin',
    404: 'No session with this id and key',
    409: 'Not signed in, signed out already, or the session is completed or cancelled',
  })
  signOut(
    @CurrentVolunteer() volunteer: VolunteerPrincipal,
    @ValidParam('id', z.uuid()) id: string,
    @ValidBody(CheckinBody) body: Parsed<typeof CheckinBody>,
  ) {
    return this.attendance.signOut(volunteer, id, body.key);
  }

  @Get('lecture-sessions/:id/checkin')
  @Access.user('sessions.complete', entityIn('param', 'id', 'lecture-session'))
  @ApiResult(200, SessionCheckin, 'The sign-in QR code’s URL and who has signed in and out', {
    401: 'Not signed in',
    403: 'Outside your scope, or not your session',
    404: 'No such session',
  })
  checkin(@CurrentUser() actor: UserPrincipal, @ValidParam('id', z.uuid()) id: string) {
    return this.attendance.checkin(actor, id);
  }
}
