import { DynamicModule, Module } from '@nestjs/common';
import type { KvConfig } from '../config/kv-config.types';
import { RATE_LIMIT_BUCKETS } from './rate-limit.guard';
import { TokenBuckets } from './token-buckets';

/**
 * Per-caller rate limiting (KV_RATE_LIMIT_PER_SECOND, KV_RATE_LIMIT_BURST): the buckets of
 * RateLimitGuard, which app.guards.ts places after the permissions guard.
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
      providers: [{ provide: RATE_LIMIT_BUCKETS, useValue: new TokenBuckets(perSecond, burst) }],
      exports: [RATE_LIMIT_BUCKETS],
    };
  }
}
