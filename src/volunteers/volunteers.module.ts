import { Module, OnModuleInit } from '@nestjs/common';
import { AccessRegistry } from '../auth/access.registry';
import { LecturesModule } from '../lectures/lectures.module';
import { LedgerModule } from '../ledger/ledger.module';
import { PointsModule } from '../points/points.module';
import { VillagersModule } from '../villagers/villagers.module';
import { VolunteersController } from './volunteers.controller';
import { VolunteersRepository } from './volunteers.repository';
import { VolunteersService } from './volunteers.service';

/** Self-registered volunteers (志愿者): their cards, points and history; signing in at sessions is the sessions' own (lectures). */
@Module({
  imports: [LecturesModule, LedgerModule, PointsModule, VillagersModule],
  controllers: [VolunteersController],
  providers: [VolunteersService, VolunteersRepository],
})
export class VolunteersModule implements OnModuleInit {
  constructor(
    private readonly access: AccessRegistry,
    private readonly volunteers: VolunteersRepository,
  ) {}

  onModuleInit(): void {
    this.access.registerVolunteerCards((digest) => this.volunteers.byCard(digest));
  }
}
