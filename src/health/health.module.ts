import { Module } from '@nestjs/common';
import { EbdModule } from '../ebd/ebd.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({ imports: [EbdModule], controllers: [HealthController], providers: [HealthService] })
export class HealthModule {}
