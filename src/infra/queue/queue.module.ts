import { DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobQueue } from './job-queue.service';
import { JobWorkers } from './job-worker.service';

@Global()
@Module({})
export class QueueModule {
  /** Every role enqueues; only `worker` and `all` consume. */
  static forRoot({ consume }: { consume: boolean }): DynamicModule {
    return {
      module: QueueModule,
      imports: consume ? [DiscoveryModule] : [],
      providers: consume ? [JobQueue, JobWorkers] : [JobQueue],
      exports: [JobQueue],
    };
  }
}
