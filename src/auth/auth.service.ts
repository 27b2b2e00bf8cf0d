import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { PasswordHasher } from '../users/password-hasher';
import { UsersRepository } from '../users/users.repository';
import type { UserPrincipal } from './access.decorator';
import type { LoginResult } from './auth.dto';

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  async login(username: string, password: string): Promise<LoginResult> {
    const user = await this.users.findByUsername(username);
    const valid = await this.hasher.verify(user?.passwordHash ?? null, password);
    // One answer for an unknown user and a wrong password, so usernames cannot be probed.
    if (!user || !valid || user.disabledAt) throw new UnauthorizedException('Wrong username or password');
    const accessToken = await this.jwt.signAsync({ sub: user.id }, { expiresIn: this.config.jwt.ttlSeconds });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.jwt.ttlSeconds };
  }

  /**
   * The token proves who is calling; role and scope are read fresh from the
   * database, so a changed scope or a disabled account takes effect at once.
   */
  async authenticate(token: string): Promise<UserPrincipal> {
    let userId: string;
    try {
      userId = (await this.jwt.verifyAsync<{ sub: string }>(token)).sub;
    } catch {
      throw new UnauthorizedException('Access token is invalid or expired');
    }
    const user = await this.users.findById(userId);
    if (!user || user.disabledAt) throw new UnauthorizedException('Access token is invalid or expired');
    return { type: 'user', id: user.id, username: user.username, role: user.role, scopeCode: user.scopeCode };
  }
}
