import { Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiResult, Parsed, ValidBody } from '../infra/http/validation';
import { Access, CurrentUser, UserPrincipal } from './access.decorator';
import { LoginBody, LoginResult, Me } from './auth.dto';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
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
    return this.throttle.attempt({ username: body.username, address: request.ip }, () => this.auth.login(body.username, body.password));
  }

  @Get('me')
  @Access.user('regions.read')
  @ApiResult(200, Me, 'Who you are signed in as', { 401: 'Not signed in' })
  me(@CurrentUser() user: UserPrincipal) {
    return { id: user.id, username: user.username, role: user.role, scopeCode: user.scopeCode };
  }
}
