import { Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service';
import { AuditTrail } from '../audit/audit.controller';
import { Access, CurrentUser, entityIn, regionIn, UserPrincipal } from '../auth/access.decorator';
import { ApiResult, Parsed, ValidBody, ValidParam } from '../infra/http/validation';
import { CreateUserBody, ResetPasswordBody, UpdateUserBody, UserList, UserView } from './users.dto';
import { UsersService } from './users.service';

const UserId = z.uuid();
/** A user inside the caller's scope, named by the path. */
const managedUser = () => Access.user('users.manage', entityIn('param', 'id', 'user'));
const refusals = {
  401: 'Not signed in',
  403: 'Not an admin, the user or scope lies outside yours, or it is your own account',
  404: 'No such user',
};

@ApiTags('users')
@Controller('api/v1/users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {}

  @Post()
  @HttpCode(201)
  @Access.user('users.manage', regionIn('body', 'scopeCode'))
  @ApiResult(201, UserView, 'The user was created', {
    400: 'Invalid body, or a password too short, too common or blank',
    401: 'Not signed in',
    403: 'Not an admin, or the scope lies outside yours',
    404: 'The scope region does not exist',
    409: 'The username is taken',
  })
  create(
    @CurrentUser() actor: UserPrincipal,
    @ValidBody(CreateUserBody) body: Parsed<typeof CreateUserBody>,
  ): Promise<UserView> {
    return this.users.create(actor, body);
  }

  @Get()
  @Access.user('users.manage')
  @ApiResult(200, UserList, 'Users whose scope lies inside yours', { 401: 'Not signed in', 403: 'Not an admin' })
  async list(@CurrentUser() actor: UserPrincipal) {
    return { items: await this.users.list(actor) };
  }

  @Patch(':id')
  @Access.user('users.manage', entityIn('param', 'id', 'user'), regionIn('body', 'scopeCode'))
  @ApiResult(200, UserView, 'Changed; a new role or scope ends every token the user holds', {
    ...refusals,
    400: 'Invalid body, or a role other than admin without a scope',
    409: 'It would leave no enabled admin without a scope',
  })
  update(
    @CurrentUser() actor: UserPrincipal,
    @ValidParam('id', UserId) id: string,
    @ValidBody(UpdateUserBody) body: Parsed<typeof UpdateUserBody>,
  ): Promise<UserView> {
    return this.users.update(actor, id, body);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @managedUser()
  @ApiResult(200, UserView, 'Disabled: every token the user holds stops working at once, and they cannot sign in', {
    ...refusals,
    409: 'It is the last enabled admin without a scope',
  })
  disable(@CurrentUser() actor: UserPrincipal, @ValidParam('id', UserId) id: string): Promise<UserView> {
    return this.users.disable(actor, id);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @managedUser()
  @ApiResult(200, UserView, 'Enabled: the user may sign in again', refusals)
  enable(@CurrentUser() actor: UserPrincipal, @ValidParam('id', UserId) id: string): Promise<UserView> {
    return this.users.enable(actor, id);
  }

  @Post(':id/password')
  @HttpCode(204)
  @managedUser()
  @ApiResult(204, null, 'The password is set and every token the user holds stops working', {
    ...refusals,
    400: 'A password too short, too common or blank',
  })
  async resetPassword(
    @CurrentUser() actor: UserPrincipal,
    @ValidParam('id', UserId) id: string,
    @ValidBody(ResetPasswordBody) body: Parsed<typeof ResetPasswordBody>,
  ): Promise<void> {
    await this.users.resetPassword(actor, id, body.password);
  }

  @Get(':id/audit')
  @managedUser()
  @ApiResult(200, AuditTrail, 'Who created the account and changed it, when, oldest first', refusals)
  async trail(@ValidParam('id', UserId) id: string) {
    return { entries: await this.audit.list('user', id) };
  }
}
