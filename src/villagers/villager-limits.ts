import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { addressBucket } from '../auth/domain/sign-in-limits';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { RateLimiter } from '../infra/redis/rate-limiter';

/**
 * The limits on the villagers' public routes, which anyone may call: requests
 * per address (an IPv6 /64 counts as one) and per village, and orders and
 * ratings per address. Past one, 429 with Retry-After.
 */
@Injectable()
export class VillagerLimits implements CanActivate {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly limiter: RateLimiter,
  ) {}

  /** Every public request counts against its address, before its input is even read. */
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    await this.limiter.admit(
      `villagers:address:${addressBucket(request.ip)}`,
      this.config.villagers.perAddress,
      'Too many requests from your network',
    );
    return true;
  }

  /** A village's page and orders, whoever asks: a poster passed around cannot flood the village's county. */
  admitVillage(regionCode: string): Promise<void> {
    return this.limiter.admit(
      `villagers:village:${regionCode}`,
      this.config.villagers.perVillage,
      'Too many requests for this village',
    );
  }

  /** Orders and ratings from one address. */
  admitWrite(address: string): Promise<void> {
    return this.limiter.admit(
      `villagers:writes:${addressBucket(address)}`,
      this.config.villagers.writesPerAddress,
      'Too many orders or ratings from your network',
    );
  }
}
