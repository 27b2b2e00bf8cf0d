import { Module, OnModuleInit } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AccessRegistry } from '../auth/access.registry';
import { EndpointsModule } from '../endpoints/endpoints.module';
import { MediaModule } from '../media/media.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { UsersModule } from '../users/users.module';
import { EmergenciesController } from './emergencies.controller';
import { EmergenciesRepository } from './emergencies.repository';
import { EmergenciesService } from './emergencies.service';
import { EmergencyDispatcher } from './emergency-dispatcher';

@Module({
  imports: [AuditModule, EndpointsModule, MediaModule, SchedulingModule, UsersModule],
  controllers: [EmergenciesController],
  providers: [EmergenciesService, EmergenciesRepository, EmergencyDispatcher],
})
export class EmergenciesModule implements OnModuleInit {
  constructor(private readonly access: AccessRegistry, private readonly alerts: EmergenciesRepository) {}

  onModuleInit(): void {
    this.access.registerEntity('emergency', async (id) => {
      const alert = await this.alerts.find(id);
      return alert && { regionCode: alert.scopeCode };
    });
  }
}
