import { Module } from '@nestjs/common';
import { LecturesModule } from '../lectures/lectures.module';
import { LedgerModule } from '../ledger/ledger.module';
import { RegionsModule } from '../regions/regions.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { AssessmentController } from './assessment.controller';
import { AssessmentService } from './assessment.service';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

@Module({
  imports: [LedgerModule, LecturesModule, RegionsModule, SchedulingModule],
  controllers: [ReportsController, AssessmentController],
  providers: [ReportsService, AssessmentService],
})
export class ReportsModule {}
