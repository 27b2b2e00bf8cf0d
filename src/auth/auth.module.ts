import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { AccessGuard } from './access.guard';
import { AccessRegistry } from './access.registry';
import { Accounts } from './accounts';
import { AuthController } from './auth.controller';
import { AuthSessionsRepository } from './auth-sessions.repository';
import { AuthService } from './auth.service';
import { DashboardSessions } from './dashboard-sessions';
import { LoginThrottle } from './login-throttle';
import { VolunteerCards } from './volunteer-cards';
import { VolunteerCodes } from './volunteer-codes';
import { WebSessionController } from './web-session.controller';
import { WebSessions } from './web-sessions';

@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.jwt.secret,
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController, WebSessionController],
  providers: [
    AuthService,
    AuthSessionsRepository,
    AccessRegistry,
    Accounts,
    DashboardSessions,
    LoginThrottle,
    WebSessions,
    VolunteerCodes,
    VolunteerCards,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AccessRegistry, Accounts, VolunteerCodes, VolunteerCards],
})
export class AuthModule {}
