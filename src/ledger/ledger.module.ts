import { Module } from '@nestjs/common';
import { LedgerAnchors } from './ledger-anchors.service';
import { LedgerController } from './ledger.controller';
import { LedgerJobs } from './ledger.jobs';
import { LedgerRepository } from './ledger.repository';
import { LedgerService } from './ledger.service';

@Module({
  controllers: [LedgerController],
  providers: [LedgerService, LedgerRepository, LedgerAnchors, LedgerJobs],
  exports: [LedgerService],
})
export class LedgerModule {}
