import { Module } from '@nestjs/common';
import { LecturesModule } from '../lectures/lectures.module';
import { RegionsModule } from '../regions/regions.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { PostersController } from './posters.controller';
import { PostersRepository } from './posters.repository';
import { PostersService } from './posters.service';
import { VillagerLimits } from './villager-limits';
import { VillagersController } from './villagers.controller';
import { VillagersService } from './villagers.service';

/** Villagers, with no account, from their village's poster: the month's theme and menu, orders (点单), ratings (评单). */
@Module({
  imports: [LecturesModule, RegionsModule, SchedulingModule],
  controllers: [PostersController, VillagersController],
  providers: [PostersService, PostersRepository, VillagersService, VillagerLimits],
  exports: [PostersService],
})
export class VillagersModule {}
