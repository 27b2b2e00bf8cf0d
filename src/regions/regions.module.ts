import { Module, OnModuleInit } from '@nestjs/common';
import { AccessRegistry } from '../auth/access.registry';
import { RegionsController } from './regions.controller';
import { RegionsRepository } from './regions.repository';
import { RegionsService } from './regions.service';
import { RegionTargets } from './region-targets';

@Module({
  controllers: [RegionsController],
  providers: [RegionsService, RegionsRepository, RegionTargets],
  exports: [RegionsRepository, RegionTargets],
})
export class RegionsModule implements OnModuleInit {
  constructor(
    private readonly access: AccessRegistry,
    private readonly regions: RegionsRepository,
  ) {}

  onModuleInit(): void {
    this.access.registerRegionLookup((code) => this.regions.findRef(code));
  }
}
