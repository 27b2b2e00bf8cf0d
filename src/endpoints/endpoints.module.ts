import { Module, OnModuleInit } from '@nestjs/common';
import { AccessRegistry } from '../auth/access.registry';
import { AuditModule } from '../audit/audit.module';
import { DeviceReports } from '../scheduling/device-reports';
import { NotificationsModule } from '../notifications/notifications.module';
import { RegionsModule } from '../regions/regions.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { CommandCourier } from './command-courier';
import { DeviceCommandsController } from './device-commands.controller';
import { DeviceController } from './device.controller';
import { DeviceEventHub } from './device-event-hub';
import { DeviceStateController } from './device-state.controller';
import { DeviceStateRepository } from './device-state.repository';
import { DeviceStateService } from './device-state.service';
import { EndpointWatch } from './endpoint-watch';
import { DeviceProtocolService } from './device-protocol.service';
import { DeviceRevocations } from './device-revocations';
import { DeviceTokens } from './device-tokens';
import { EndpointCommandsController } from './endpoint-commands.controller';
import { EndpointCommandsRepository } from './endpoint-commands.repository';
import { EndpointCommandsService } from './endpoint-commands.service';
import { EndpointJobs } from './endpoints.jobs';
import { EndpointMetrics } from './endpoint-metrics';
import { EndpointsController } from './endpoints.controller';
import { EndpointsRepository } from './endpoints.repository';
import { EndpointsService } from './endpoints.service';
import { HeartbeatFlusher } from './heartbeat-flusher';
import { HeartbeatStore } from './heartbeat-store';
import { Heartbeats } from './heartbeats';

@Module({
  imports: [AuditModule, SchedulingModule, NotificationsModule, RegionsModule],
  controllers: [
    EndpointsController,
    DeviceStateController,
    DeviceController,
    EndpointCommandsController,
    DeviceCommandsController,
  ],
  providers: [
    EndpointsService,
    EndpointsRepository,
    EndpointJobs,
    DeviceProtocolService,
    DeviceEventHub,
    DeviceTokens,
    DeviceRevocations,
    EndpointCommandsService,
    EndpointCommandsRepository,
    CommandCourier,
    DeviceStateService,
    DeviceStateRepository,
    EndpointWatch,
    EndpointMetrics,
    Heartbeats,
    HeartbeatStore,
    HeartbeatFlusher,
  ],
  exports: [DeviceEventHub],
})
export class EndpointsModule implements OnModuleInit {
  constructor(
    private readonly access: AccessRegistry,
    private readonly endpoints: EndpointsRepository,
    private readonly tokens: DeviceTokens,
    private readonly reports: DeviceReports,
    private readonly commands: EndpointCommandsRepository,
  ) {}

  onModuleInit(): void {
    this.access.registerEntity('endpoint', (id) => this.endpoints.regionOf(id));
    this.access.registerEntity('endpoint-command', (id) => this.commands.regionOf(id));
    this.access.registerDeviceAuthenticator((token) => this.tokens.authenticate(token));
    this.reports.provide(this.endpoints);
  }
}
