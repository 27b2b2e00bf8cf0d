import { Module } from '@nestjs/common';
import { MediaModule } from '../media/media.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { RelayRunner } from './relay-runner';
import { RelaysRepository } from './relays.repository';

/** Relayed streams on air: the sweep that finds those due and the worker that feeds their Icecast mounts. */
@Module({
  imports: [MediaModule, SchedulingModule],
  providers: [RelayRunner, RelaysRepository],
})
export class RelaysModule {}
