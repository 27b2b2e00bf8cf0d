import { Module, OnModuleInit } from '@nestjs/common';
import { AccessRegistry } from '../auth/access.registry';
import { LedgerModule } from '../ledger/ledger.module';
import { MediaModule } from '../media/media.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ProgrammesModule } from '../programmes/programmes.module';
import { RegionsModule } from '../regions/regions.module';
import { DeviceReports } from './device-reports';
import { PlaylistCompiler } from './playlist-compiler';
import { PlaylistPreemptions } from './playlist-preemption';
import { PlaylistStore } from './playlist-store';
import { ReadinessService } from './readiness.service';
import { RelaySources } from './relay-sources';
import { SchedulingController } from './scheduling.controller';
import { SchedulingJobs } from './scheduling.jobs';
import { SchedulingRepository } from './scheduling.repository';
import { SchedulingService } from './scheduling.service';

@Module({
  imports: [LedgerModule, MediaModule, NotificationsModule, ProgrammesModule, RegionsModule],
  controllers: [SchedulingController],
  providers: [
    SchedulingService,
    SchedulingRepository,
    DeviceReports,
    PlaylistCompiler,
    PlaylistPreemptions,
    PlaylistStore,
    ReadinessService,
    RelaySources,
    SchedulingJobs,
  ],
  exports: [SchedulingService, DeviceReports, PlaylistCompiler, PlaylistPreemptions, PlaylistStore, RelaySources],
})
export class SchedulingModule implements OnModuleInit {
  constructor(
    private readonly access: AccessRegistry,
    private readonly schedule: SchedulingRepository,
  ) {}

  onModuleInit(): void {
    this.access.registerEntity('broadcast', (id) => this.schedule.regionOf(id));
  }
}
