import { Module, OnModuleInit } from '@nestjs/common';
import { AccessRegistry } from '../auth/access.registry';
import { ProgrammesController } from './programmes.controller';
import { ProgrammesRepository } from './programmes.repository';
import { ProgrammesService } from './programmes.service';

@Module({
  controllers: [ProgrammesController],
  providers: [ProgrammesService, ProgrammesRepository],
  exports: [ProgrammesService],
})
export class ProgrammesModule implements OnModuleInit {
  constructor(
    private readonly access: AccessRegistry,
    private readonly programmes: ProgrammesRepository,
  ) {}

  onModuleInit(): void {
    this.access.registerEntity('programme', (id) => this.programmes.regionOf(id));
  }
}
