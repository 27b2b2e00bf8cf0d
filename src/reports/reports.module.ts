import { Module } from '@nestjs/common';
import { LecturesModule } from '../lectures/lectures.module';
import { LedgerModule } from '../ledger/ledger.module';
import { RegionsModule } from '../regions/regions.module';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

@Module({
  imports: [LedgerModule, LecturesModule, RegionsModule],
  controllers: [ReportsController],
  providers: [ReportsService],
})
export class ReportsModule {}
