import { Controller, ForbiddenException, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiResult, Parsed, ValidBody } from '../infra/http/validation';
import { Access, CurrentUser, UserPrincipal } from './access.decorator';
import { Accounts } from './accounts';
import { ChangePasswordBody, LoginBody, LoginResult, Me, meOf, RefreshBody } from './auth.dto';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: Accounts,
    private readonly throttle: LoginThrottle,
  ) {}

  @Post('login')
  @HttpCode(200)
  @Access.public()
  @ApiResult(200, LoginResult, 'Signed in', {
    400: 'Invalid body',
    401: 'Wrong username or password',
    429: 'Too many failed sign-ins for the username or from the address, or too many at once (see Retry-After)',
  })
  login(@ValidBody(LoginBody) body: Parsed<typeof LoginBody>, @Req() request: FastifyRequest): Promise<LoginResult> {
    return this.throttle.attempt({ username: body.username, address: request.ip }, () =>
      this.auth.login(body.username, body.password),
    );
  }

  @Post('refresh')
  @HttpCode(200)
  @Access.public()
  @ApiResult(200, LoginResult, 'A new access token and the refresh token that replaces the one sent', {
    400: 'Invalid body',
    401: 'The refresh token is invalid, expired or revoked; one used before signs the account out everywhere',
  })
  refresh(@ValidBody(RefreshBody) body: Parsed<typeof RefreshBody>): Promise<LoginResult> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @Access.public()
  @ApiResult(
    204,
    null,
    'The sign-in the refresh token belongs to has ended (its access token lives until it expires)',
    { 400: 'Invalid body' },
  )
  async logout(@ValidBody(RefreshBody) body: Parsed<typeof RefreshBody>): Promise<void> {
    await this.auth.logout(body.refreshToken);
  }

  @Post('password')
  @HttpCode(204)
  @Access.user('regions.read')
  @ApiResult(204, null, 'Changed: every token of the account stops working; sign in again', {
    400: 'A new password too short, too common or blank',
    401: 'Not signed in',
    403: 'The current password is wrong',
    429: 'Too many wrong passwords for the account or from the address (see Retry-After)',
  })
  async changePassword(
    @CurrentUser() user: UserPrincipal,
    @ValidBody(ChangePasswordBody) body: Parsed<typeof ChangePasswordBody>,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    // A wrong current password counts as a failed sign-in, so a stolen token cannot be used to guess it.
    await this.throttle.attempt(
      { username: user.username, address: request.ip },
      () => this.users.changeOwnPassword(user, body.currentPassword, body.newPassword),
      ForbiddenException,
    );
  }

  @Get('me')
  @Access.user('regions.read')
  @ApiResult(200, Me, 'Who you are signed in as', { 401: 'Not signed in' })
  me(@CurrentUser() user: UserPrincipal) {
    return meOf(user);
  }
}
