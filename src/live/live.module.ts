import { Module, OnModuleInit } from '@nestjs/common';
import { AccessRegistry } from '../auth/access.registry';
import { AuditModule } from '../audit/audit.module';
import { EndpointsModule } from '../endpoints/endpoints.module';
import { MediaModule } from '../media/media.module';
import { RegionsModule } from '../regions/regions.module';
import { LiveCarrier } from './live-carrier';
import { LiveController } from './live.controller';
import { LiveIngest } from './live-ingest';
import { LiveRepository } from './live.repository';
import { LiveService } from './live.service';
import { LiveSweeper } from './live-sweeper';

@Module({
  imports: [AuditModule, EndpointsModule, MediaModule, RegionsModule],
  controllers: [LiveController],
  providers: [LiveService, LiveRepository, LiveCarrier, LiveIngest, LiveSweeper],
  exports: [LiveIngest],
})
export class LiveModule implements OnModuleInit {
  constructor(
    private readonly access: AccessRegistry,
    private readonly sessions: LiveRepository,
  ) {}

  onModuleInit(): void {
    this.access.registerEntity('live-session', (id) => this.sessions.scopeOf(id));
  }
}
