import { Module } from '@nestjs/common';
import { EbdModule } from '../ebd/ebd.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { WorkerHealth } from './worker-health';

@Module({ imports: [EbdModule], controllers: [HealthController], providers: [HealthService, WorkerHealth] })
export class HealthModule {}
