import { Global, Module } from '@nestjs/common';
import { EventBus } from './event-bus';
import { RedisConnections } from './redis-connections';

export { RedisConnections } from './redis-connections';

@Global()
@Module({ providers: [RedisConnections, EventBus], exports: [RedisConnections, EventBus] })
export class RedisModule {}
