import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditService } from '../audit/audit.service';
import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException } from '../common/errors/kv.exception';

/**
 * @nestjs/throttler's guard, keyed by the verified caller: it runs after the permissions
 * guard (registered after it), limits each token subject across all routes, and leaves alone
 * what that guard let through without a caller (health, metrics, Swagger). A refusal is a
 * 429 RATE_LIMITED with Retry-After, and leaves an audit row like any other failure.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly audit: AuditService,
  ) {
    super(options, storage, reflector);
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(
      context.switchToHttp().getRequest<FastifyRequest>().principal === undefined,
    );
  }

  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    return Promise.resolve((request as unknown as FastifyRequest).principal!.sub);
  }

  // The subject alone: one budget per caller across routes, and no hash on the hot path.
  protected override generateKey(_context: ExecutionContext, tracker: string): string {
    return tracker;
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const http = context.switchToHttp();
    void http.getResponse<FastifyReply>().header('retry-after', String(detail.timeToBlockExpire));
    const audit = http.getRequest<FastifyRequest>().auditContext;
    if (audit) {
      await this.audit.record(audit, false, 429);
    }
    throw new KvException(
      ErrorCode.RATE_LIMITED,
      `This caller sent more requests than its rate limit allows; retry after ${detail.timeToBlockExpire} s`,
    );
  }
}
