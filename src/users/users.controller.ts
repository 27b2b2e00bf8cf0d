import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, regionIn, UserPrincipal } from '../auth/access.decorator';
import { ApiResult, Parsed, ValidBody } from '../infra/http/validation';
import { CreateUserBody, UserList, UserView } from './users.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @HttpCode(201)
  @Access.user('users.manage', regionIn('body', 'scopeCode'))
  @ApiResult(201, UserView, 'The user was created', {
    400: 'Invalid body',
    401: 'Not signed in',
    403: 'Not an admin, or the scope lies outside yours',
    404: 'The scope region does not exist',
    409: 'The username is taken',
  })
  create(@CurrentUser() actor: UserPrincipal, @ValidBody(CreateUserBody) body: Parsed<typeof CreateUserBody>): Promise<UserView> {
    return this.users.create(actor, body);
  }

  @Get()
  @Access.user('users.manage')
  @ApiResult(200, UserList, 'Users whose scope lies inside yours', { 401: 'Not signed in', 403: 'Not an admin' })
  async list(@CurrentUser() actor: UserPrincipal) {
    return { items: await this.users.list(actor) };
  }
}
