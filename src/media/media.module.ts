import { Module, OnModuleInit } from '@nestjs/common';
import { AccessRegistry } from '../auth/access.registry';
import { MediaController } from './media.controller';
import { MediaFilesController } from './media-files.controller';
import { MediaJobs } from './media.jobs';
import { MediaQuotas } from './media-quotas';
import { MediaRepository } from './media.repository';
import { MediaService } from './media.service';
import { MediaSweeper } from './media-sweeper';
import { MediaTooling } from './media-tooling';
import { StreamProbe } from './stream-probe';
import { MediaStorage } from './storage/media-storage';
import { MEDIA_STORAGE_PROVIDER } from './storage/media-storage.provider';

@Module({
  controllers: [MediaController, MediaFilesController],
  providers: [
    MediaService,
    MediaRepository,
    MediaJobs,
    MediaQuotas,
    MediaSweeper,
    MediaTooling,
    StreamProbe,
    MEDIA_STORAGE_PROVIDER,
  ],
  exports: [MediaRepository, MediaService, MediaStorage, MediaTooling, StreamProbe],
})
export class MediaModule implements OnModuleInit {
  constructor(private readonly access: AccessRegistry, private readonly media: MediaRepository) {}

  onModuleInit(): void {
    this.access.registerEntity('media', (id) => this.media.regionOf(id));
  }
}
