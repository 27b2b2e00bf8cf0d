import { Global, Module } from '@nestjs/common';
import { EventBus } from './event-bus';
import { RateLimits } from './rate-limits';
import { RateLimiter } from './rate-limiter';
import { RedisConnections } from './redis-connections';

export { RedisConnections } from './redis-connections';

@Global()
@Module({
  providers: [RedisConnections, EventBus, RateLimits, RateLimiter],
  exports: [RedisConnections, EventBus, RateLimits, RateLimiter],
})
export class RedisModule {}
