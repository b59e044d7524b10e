import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { KvConfig } from '../config/kv-config.types';
import { RateLimitGuard } from './rate-limit.guard';
import { TokenBucketStorage } from './token-bucket.storage';

/**
 * Per-caller rate limiting (KV_RATE_LIMIT_PER_SECOND, KV_RATE_LIMIT_BURST). Import it after
 * PermissionsModule: global guards run in the order they are registered, and this one needs
 * the caller that the permissions guard verifies.
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
      imports: [
        ThrottlerModule.forRoot({
          // A bucket of `burst` tokens that refills completely in burst / perSecond seconds.
          throttlers: [{ limit: burst, ttl: (burst / perSecond) * 1000 }],
          storage: new TokenBucketStorage(),
          // Retry-After on a 429 only; X-RateLimit-* on every response is not worth its cost.
          setHeaders: false,
        }),
      ],
      providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
    };
  }
}
