import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { UsersModule } from '../users/users.module';
import { AccessGuard } from './access.guard';
import { AccessRegistry } from './access.registry';
import { AuthController } from './auth.controller';
import { AuthSessionsRepository } from './auth-sessions.repository';
import { AuthService } from './auth.service';
import { DashboardSessions } from './dashboard-sessions';
import { LoginThrottle } from './login-throttle';

@Global()
@Module({
  imports: [
    UsersModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ secret: config.jwt.secret, signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, AuthSessionsRepository, AccessRegistry, DashboardSessions, LoginThrottle, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [AccessRegistry],
})
export class AuthModule {}
