import { Module, OnModuleInit } from '@nestjs/common';
import { AccessRegistry } from '../auth/access.registry';
import { DeviceController } from './device.controller';
import { EndpointJobs } from './endpoints.jobs';
import { EndpointsController } from './endpoints.controller';
import { EndpointsRepository } from './endpoints.repository';
import { EndpointsService } from './endpoints.service';

@Module({
  controllers: [EndpointsController, DeviceController],
  providers: [EndpointsService, EndpointsRepository, EndpointJobs],
})
export class EndpointsModule implements OnModuleInit {
  constructor(
    private readonly access: AccessRegistry,
    private readonly endpoints: EndpointsRepository,
    private readonly service: EndpointsService,
  ) {}

  onModuleInit(): void {
    this.access.registerEntity('endpoint', (id) => this.endpoints.regionOf(id));
    this.access.registerDeviceAuthenticator((token) => this.service.authenticateDevice(token));
  }
}
