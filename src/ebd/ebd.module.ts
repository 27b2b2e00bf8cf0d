import { Module } from '@nestjs/common';
import { RegionsModule } from '../regions/regions.module';
import { UsersModule } from '../users/users.module';
import { EbdLinksController } from './ebd-links.controller';
import { EbdLogController } from './ebd-log.controller';
import { EbdLogService } from './ebd-log.service';
import { EbdLinksRepository } from './ebd-links.repository';
import { EbdLinksService } from './ebd-links.service';
import { EbdOutbox } from './ebd-outbox';
import { EbdReporter } from './ebd-reporter';
import { EbdReports } from './ebd-reports.service';
import { Signers } from './signers';

/**
 * Docking with the upper emergency-broadcast platform (应急广播平台对接) over the
 * EBD exchange: packages in (EBMs become alerts), reports up through an outbox,
 * every package signed with SM2-SM3.
 */
@Module({
  imports: [RegionsModule, UsersModule],
  controllers: [EbdLinksController, EbdLogController],
  providers: [EbdLogService, EbdLinksRepository, EbdLinksService, EbdOutbox, EbdReporter, EbdReports, Signers],
})
export class EbdModule {}
