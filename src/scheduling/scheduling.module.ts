import { Module, OnModuleInit } from '@nestjs/common';
import { AccessRegistry } from '../auth/access.registry';
import { LedgerModule } from '../ledger/ledger.module';
import { PlaylistCompiler } from './playlist-compiler';
import { PlaylistStore } from './playlist-store';
import { ReadinessService } from './readiness.service';
import { SchedulingController } from './scheduling.controller';
import { SchedulingJobs } from './scheduling.jobs';
import { SchedulingRepository } from './scheduling.repository';
import { SchedulingService } from './scheduling.service';

@Module({
  imports: [LedgerModule],
  controllers: [SchedulingController],
  providers: [SchedulingService, SchedulingRepository, PlaylistCompiler, PlaylistStore, ReadinessService, SchedulingJobs],
  exports: [SchedulingRepository, SchedulingService, PlaylistCompiler, PlaylistStore],
})
export class SchedulingModule implements OnModuleInit {
  constructor(private readonly access: AccessRegistry, private readonly schedule: SchedulingRepository) {}

  onModuleInit(): void {
    this.access.registerEntity('broadcast', (id) => this.schedule.regionOf(id));
  }
}
