import { Global, Module } from '@nestjs/common';
import { EventBus } from './event-bus';
import { RateLimiter } from './rate-limiter';
import { RedisConnections } from './redis-connections';

export { RedisConnections } from './redis-connections';

@Global()
@Module({
  providers: [RedisConnections, EventBus, RateLimiter],
  exports: [RedisConnections, EventBus, RateLimiter],
})
export class RedisModule {}
