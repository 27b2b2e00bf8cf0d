import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AccessRegistry } from '../auth/access.registry';
import { EndpointsModule } from '../endpoints/endpoints.module';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { renditionUrl } from '../media/media.dto';
import { MediaModule } from '../media/media.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { RegionsModule } from '../regions/regions.module';
import { PlaylistPreemptions } from '../scheduling/playlist-preemption';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { UsersModule } from '../users/users.module';
import { alertPreemption } from './domain/alert';
import { EmergenciesController } from './emergencies.controller';
import { EmergenciesRepository } from './emergencies.repository';
import { EmergenciesService } from './emergencies.service';
import { EmergencyDispatcher } from './emergency-dispatcher';

@Module({
  imports: [
    AuditModule,
    EndpointsModule,
    MediaModule,
    NotificationsModule,
    RegionsModule,
    SchedulingModule,
    UsersModule,
  ],
  controllers: [EmergenciesController],
  providers: [EmergenciesService, EmergenciesRepository, EmergencyDispatcher],
  exports: [EmergenciesService],
})
export class EmergenciesModule implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly access: AccessRegistry,
    private readonly preemptions: PlaylistPreemptions,
    private readonly alerts: EmergenciesRepository,
  ) {}

  onModuleInit(): void {
    this.access.registerEntity('emergency', async (id) => {
      const alert = await this.alerts.find(id);
      return alert && { regionCode: alert.scopeCode };
    });
    // Live alerts preempt playlists: the compiler asks for a county's, gravest first.
    const mediaUrl = (sha256: string) => renditionUrl(this.config.media.baseUrl, sha256);
    this.preemptions.register(async (countyCode) =>
      (await this.alerts.liveAlerts(countyCode)).map((alert) => alertPreemption(alert, mediaUrl)),
    );
  }
}
