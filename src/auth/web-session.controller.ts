import { Controller, Delete, Get, HttpCode, Post, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiResult, Parsed, ValidBody } from '../infra/http/validation';
import { Access } from './access.decorator';
import { LoginBody, meOf, WebSessionBody } from './auth.dto';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle';
import { refuseForeignOrigin, type WebSession, WebSessions } from './web-sessions';

const body = ({ user, csrfToken, expiresAt }: WebSession): WebSessionBody => ({
  user: meOf(user),
  csrfToken,
  expiresAt: expiresAt.toISOString(),
});

/**
 * Sign-in for a person in a browser: the session rides in the HttpOnly
 * dalaba_session cookie, which the page never sees; the page learns only who
 * it is and the CSRF token to send back. The routes read the cookie
 * themselves, so they are public to the access guard.
 */
@ApiTags('auth')
@Controller('api/v1/auth/session')
export class WebSessionController {
  constructor(
    private readonly auth: AuthService,
    private readonly throttle: LoginThrottle,
    private readonly web: WebSessions,
  ) {}

  @Post()
  @HttpCode(200)
  @Access.public()
  @ApiResult(
    200,
    WebSessionBody,
    'Signed in: the session cookie is set (HttpOnly, SameSite=Strict, Secure over HTTPS)',
    {
      400: 'Invalid body',
      401: 'Wrong username or password',
      403: 'Sent from a page of another origin',
      429: 'Too many failed sign-ins for the username or from the address, or too many at once (see Retry-After)',
    },
  )
  async open(
    @ValidBody(LoginBody) credentials: Parsed<typeof LoginBody>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WebSessionBody> {
    // Another site must not sign this browser in as someone else either.
    refuseForeignOrigin(request);
    const user = await this.throttle.attempt({ username: credentials.username, address: request.ip }, () =>
      this.auth.checkCredentials(credentials.username, credentials.password),
    );
    const previous = await this.web.of(request);
    if (previous) await this.web.end(previous);
    const { session, cookie } = await this.web.open(user);
    reply.header('set-cookie', this.web.cookieCarrying(request, cookie));
    return body(session);
  }

  @Get()
  @Access.public()
  @ApiResult(200, WebSessionBody, 'Who this browser is signed in as, and the CSRF token to send', {
    401: 'No live session: never signed in, signed out, expired, idle too long, or the account changed',
  })
  async current(@Req() request: FastifyRequest): Promise<WebSessionBody> {
    const session = await this.web.of(request);
    if (!session) throw new UnauthorizedException('Not signed in, or the session has ended; sign in again');
    return body(session);
  }

  @Delete()
  @HttpCode(204)
  @Access.public()
  @ApiResult(204, null, 'Signed out: the session has ended on the server and the cookie is cleared', {
    403: 'A live session without its x-csrf-token header, or sent from a page of another origin',
  })
  async close(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const session = await this.web.of(request);
    // Without a live session there is nothing to end, and the cookie is cleared all the same.
    if (session) {
      this.web.refuseForgery(request, session);
      await this.web.end(session);
    }
    reply.header('set-cookie', this.web.clearingCookie(request));
  }
}
