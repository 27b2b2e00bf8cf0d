import { Module, OnModuleInit } from '@nestjs/common';
import { AccessRegistry } from '../auth/access.registry';
import { LedgerModule } from '../ledger/ledger.module';
import { PointsModule } from '../points/points.module';
import { CatalogueService } from './catalogue.service';
import { CounterService } from './counter.service';
import { RedemptionsController } from './redemptions.controller';
import { RedemptionsRepository } from './redemptions.repository';

/** Points redemption (积分兑换): the catalogues of counties and townships, and the counter. */
@Module({
  imports: [LedgerModule, PointsModule],
  controllers: [RedemptionsController],
  providers: [CatalogueService, CounterService, RedemptionsRepository],
})
export class RedemptionsModule implements OnModuleInit {
  constructor(
    private readonly access: AccessRegistry,
    private readonly items: RedemptionsRepository,
  ) {}

  onModuleInit(): void {
    this.access.registerEntity('redemption-item', (id) => this.items.regionOf(id));
  }
}
