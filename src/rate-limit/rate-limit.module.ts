import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { KvConfig } from '../config/kv-config.types';
import { RATE_LIMIT_BUCKETS, RateLimitGuard } from './rate-limit.guard';
import { TokenBuckets } from './token-buckets';

/**
 * Per-caller rate limiting (KV_RATE_LIMIT_PER_SECOND, KV_RATE_LIMIT_BURST). Import it after
 * PermissionsModule: global guards run in the order they are registered, and this one counts
 * only the callers the permissions guard let through.
 */
@Module({})
export class RateLimitModule {
  static forRoot(config: KvConfig): DynamicModule {
    const { perSecond, burst } = config.rateLimit;
    if (perSecond === 0) {
      return { module: RateLimitModule };
    }
    return {
      module: RateLimitModule,
      providers: [
        { provide: RATE_LIMIT_BUCKETS, useValue: new TokenBuckets(perSecond, burst) },
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
    };
  }
}
