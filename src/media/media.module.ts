import { Module, OnModuleInit } from '@nestjs/common';
import { AccessRegistry } from '../auth/access.registry';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { MediaController } from './media.controller';
import { MediaFilesController } from './media-files.controller';
import { MediaJobs } from './media.jobs';
import { MediaQuotas } from './media-quotas';
import { MediaRepository } from './media.repository';
import { MediaService } from './media.service';
import { MediaStore } from './media-store';
import { MediaSweeper } from './media-sweeper';
import { MediaTooling } from './media-tooling';

@Module({
  controllers: [MediaController, MediaFilesController],
  providers: [
    MediaService,
    MediaRepository,
    MediaJobs,
    MediaQuotas,
    MediaSweeper,
    MediaTooling,
    { provide: MediaStore, useFactory: (config: AppConfig) => new MediaStore(config.mediaDir), inject: [APP_CONFIG] },
  ],
  exports: [MediaRepository, MediaService, MediaTooling],
})
export class MediaModule implements OnModuleInit {
  constructor(private readonly access: AccessRegistry, private readonly media: MediaRepository) {}

  onModuleInit(): void {
    this.access.registerEntity('media', (id) => this.media.regionOf(id));
  }
}
