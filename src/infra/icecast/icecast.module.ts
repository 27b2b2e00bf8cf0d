import { Global, Module } from '@nestjs/common';
import { Icecast } from './icecast';

@Global()
@Module({ providers: [Icecast], exports: [Icecast] })
export class IcecastModule {}
