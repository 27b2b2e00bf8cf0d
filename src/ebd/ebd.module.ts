import { Module } from '@nestjs/common';
import { EmergenciesModule } from '../emergencies/emergencies.module';
import { MediaModule } from '../media/media.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { RegionsModule } from '../regions/regions.module';
import { UsersModule } from '../users/users.module';
import { EbdExchangeController } from './ebd-exchange.controller';
import { EbdLinksController } from './ebd-links.controller';
import { EbdLinksRepository } from './ebd-links.repository';
import { EbdLinksService } from './ebd-links.service';
import { EbdLogController } from './ebd-log.controller';
import { EbdLogService } from './ebd-log.service';
import { EbdMessagesRepository } from './ebd-messages.repository';
import { EbdOutbox } from './ebd-outbox';
import { EbdReceiver } from './ebd-receiver.service';
import { EbdReporter } from './ebd-reporter';
import { EbdReports } from './ebd-reports.service';
import { EbdReportsRepository } from './ebd-reports.repository';
import { EbdStateSweep } from './ebd-state-sweep';
import { LocalAlertsUp } from './local-alerts-up';
import { Signers } from './signers';

/**
 * Docking with the upper emergency-broadcast platform (应急广播平台对接) over the
 * EBD exchange: packages in (EBMs become alerts), reports up through an outbox,
 * every package signed with SM2-SM3.
 */
@Module({
  imports: [EmergenciesModule, MediaModule, NotificationsModule, RegionsModule, UsersModule],
  controllers: [EbdExchangeController, EbdLinksController, EbdLogController],
  providers: [
    EbdLinksRepository,
    EbdLinksService,
    EbdLogService,
    EbdMessagesRepository,
    EbdOutbox,
    EbdReceiver,
    EbdReporter,
    EbdReports,
    EbdReportsRepository,
    EbdStateSweep,
    LocalAlertsUp,
    Signers,
  ],
  exports: [EbdLinksRepository],
})
export class EbdModule {}
