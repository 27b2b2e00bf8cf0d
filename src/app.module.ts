import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { EbdModule } from './ebd/ebd.module';
import { EmergenciesModule } from './emergencies/emergencies.module';
import { EndpointsModule } from './endpoints/endpoints.module';
import { HealthModule } from './health/health.module';
import { LecturesModule } from './lectures/lectures.module';
import { LedgerModule } from './ledger/ledger.module';
import { LiveModule } from './live/live.module';
import { PointsModule } from './points/points.module';
import { RedemptionsModule } from './redemptions/redemptions.module';
import { ReportsModule } from './reports/reports.module';
import { MediaModule } from './media/media.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ProgrammesModule } from './programmes/programmes.module';
import type { AppConfig } from './infra/config/config';
import { ConfigModule } from './infra/config/config.module';
import { DatabaseModule } from './infra/database/database.module';
import { IcecastModule } from './infra/icecast/icecast.module';
import { MetricsModule } from './infra/metrics/metrics.module';
import { QueueModule } from './infra/queue/queue.module';
import { RedisModule } from './infra/redis/redis.module';
import { RegionsModule } from './regions/regions.module';
import { RelaysModule } from './relays/relays.module';
import { SchedulingModule } from './scheduling/scheduling.module';
import { UsersModule } from './users/users.module';
import { VillagersModule } from './villagers/villagers.module';
import { VolunteersModule } from './volunteers/volunteers.module';

@Module({})
export class AppModule {
  /**
   * APP_ROLE decides what runs: `api` serves HTTP and fires the cron
   * schedules (which only enqueue), `worker` consumes the queues, `all` both.
   */
  static forConfig(config: AppConfig): DynamicModule {
    const serves = config.role !== 'worker';
    const consumes = config.role !== 'api';
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        RedisModule,
        MetricsModule,
        IcecastModule,
        QueueModule.forRoot({ consume: consumes }),
        ...(serves ? [ScheduleModule.forRoot()] : []),
        AuthModule,
        UsersModule,
        NotificationsModule,
        RegionsModule,
        EndpointsModule,
        MediaModule,
        ProgrammesModule,
        SchedulingModule,
        AuditModule,
        EmergenciesModule,
        RelaysModule,
        EbdModule,
        LedgerModule,
        PointsModule,
        LecturesModule,
        LiveModule,
        VillagersModule,
        VolunteersModule,
        RedemptionsModule,
        ReportsModule,
        HealthModule,
      ],
    };
  }
}
