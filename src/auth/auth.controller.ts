import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiResult, Parsed, ValidBody } from '../infra/http/validation';
import { Access, CurrentUser, UserPrincipal } from './access.decorator';
import { LoginBody, LoginResult, Me } from './auth.dto';
import { AuthService } from './auth.service';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(200)
  @Access.public()
  @ApiResult(200, LoginResult, 'Signed in', { 400: 'Invalid body', 401: 'Wrong username or password' })
  login(@ValidBody(LoginBody) body: Parsed<typeof LoginBody>): Promise<LoginResult> {
    return this.auth.login(body.username, body.password);
  }

  @Get('me')
  @Access.user('regions.read')
  @ApiResult(200, Me, 'Who you are signed in as', { 401: 'Not signed in' })
  me(@CurrentUser() user: UserPrincipal) {
    return { id: user.id, username: user.username, role: user.role, scopeCode: user.scopeCode };
  }
}
