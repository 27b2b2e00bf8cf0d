import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { PointsController } from './points.controller';
import { PointsRepository } from './points.repository';
import { PointsService } from './points.service';

@Module({
  imports: [LedgerModule],
  controllers: [PointsController],
  providers: [PointsService, PointsRepository],
  exports: [PointsService],
})
export class PointsModule {}
