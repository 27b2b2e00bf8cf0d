import { Module, OnModuleInit } from '@nestjs/common';
import { AccessRegistry } from '../auth/access.registry';
import { LedgerModule } from '../ledger/ledger.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PointsModule } from '../points/points.module';
import { ProgrammesModule } from '../programmes/programmes.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { AttendanceController } from './attendance.controller';
import { AttendanceRepository } from './attendance.repository';
import { AttendanceService } from './attendance.service';
import { DispatchSuggestions } from './dispatch-suggestions.service';
import { LecturesJobs } from './lectures.jobs';
import { OrderNotices } from './order-notices';
import { OrdersController } from './orders.controller';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { SessionRecords } from './session-records.service';
import { SessionsController } from './sessions.controller';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';
import { TeamsController } from './teams.controller';
import { TeamsRepository } from './teams.repository';
import { TeamsService } from './teams.service';
import { TopicsController } from './topics.controller';
import { TopicsRepository } from './topics.repository';
import { TopicsService } from './topics.service';

/** Lecture teams, the topic menu, sessions and the four-order flow: what the civic-practice ledger records. */
@Module({
  imports: [LedgerModule, NotificationsModule, PointsModule, ProgrammesModule, SchedulingModule],
  controllers: [TopicsController, TeamsController, SessionsController, OrdersController, AttendanceController],
  providers: [
    TopicsService,
    TopicsRepository,
    TeamsService,
    TeamsRepository,
    SessionsService,
    SessionRecords,
    SessionsRepository,
    OrdersService,
    OrderNotices,
    OrdersRepository,
    AttendanceService,
    AttendanceRepository,
    DispatchSuggestions,
    LecturesJobs,
  ],
  exports: [OrdersRepository, OrdersService, TopicsService, SessionsService, SessionRecords],
})
export class LecturesModule implements OnModuleInit {
  constructor(
    private readonly access: AccessRegistry,
    private readonly sessions: SessionsRepository,
    private readonly orders: OrdersRepository,
  ) {}

  onModuleInit(): void {
    this.access.registerEntity('lecture-session', (id) => this.sessions.regionOf(id));
    this.access.registerEntity('order', (id) => this.orders.regionOf(id));
  }
}
