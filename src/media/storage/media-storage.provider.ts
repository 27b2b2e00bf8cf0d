import type { Provider } from '@nestjs/common';
import { APP_CONFIG } from '../../infra/config/config.module';
import type { AppConfig } from '../../infra/config/config';
import { MediaStore } from '../media-store';
import { LocalMediaStorage } from './local-media-storage';
import { MediaStorage } from './media-storage';
import { S3MediaStorage } from './s3-media-storage';

/** The storage MEDIA_STORAGE names, with MEDIA_DIR as its scratch space. */
export function createMediaStorage(config: AppConfig): MediaStorage {
  const scratch = new MediaStore(config.mediaDir);
  const { storage } = config.media;
  return storage.kind === 's3' ? new S3MediaStorage(scratch, storage) : new LocalMediaStorage(scratch);
}

export const MEDIA_STORAGE_PROVIDER: Provider = { provide: MediaStorage, useFactory: createMediaStorage, inject: [APP_CONFIG] };
