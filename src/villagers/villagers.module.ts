import { Module } from '@nestjs/common';
import { PostersRepository } from './posters.repository';
import { PostersService } from './posters.service';

/** Villagers, with no account, from their village's poster: the month's theme and menu, orders (点单), ratings (评单). */
@Module({
  providers: [PostersService, PostersRepository],
  exports: [PostersService],
})
export class VillagersModule {}
