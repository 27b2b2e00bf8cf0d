import { Global, Module } from '@nestjs/common';
import { EventBus } from './event-bus';
import { RateLimits } from './rate-limits';
import { RedisConnections } from './redis-connections';

export { RedisConnections } from './redis-connections';

@Global()
@Module({ providers: [RedisConnections, EventBus, RateLimits], exports: [RedisConnections, EventBus, RateLimits] })
export class RedisModule {}
