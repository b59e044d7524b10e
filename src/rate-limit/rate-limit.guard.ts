import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditService } from '../audit/audit.service';
import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException } from '../common/errors/kv.exception';
import { TokenBuckets } from './token-buckets';

export const RATE_LIMIT_BUCKETS = Symbol('RATE_LIMIT_BUCKETS');

/**
 * Limits each verified caller (token subject) across all routes. It runs after the
 * permissions guard (registered after it) and leaves alone what that guard let through
 * without a caller (health, metrics, Swagger). A refusal is a 429 RATE_LIMITED with
 * Retry-After, and leaves an audit row like any other failure. Synchronous when it lets a
 * request through: @nestjs/throttler's guard did the same with five metadata lookups and ten
 * awaits, a tenth of a cached GET.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    @Inject(RATE_LIMIT_BUCKETS) private readonly buckets: TokenBuckets,
    private readonly audit: AuditService,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (request.principal === undefined) {
      return true;
    }
    const retryAfter = this.buckets.take(request.principal.sub);
    if (retryAfter === 0) {
      return true;
    }
    void http.getResponse<FastifyReply>().header('retry-after', String(retryAfter));
    return this.refuse(request, retryAfter);
  }

  private async refuse(request: FastifyRequest, retryAfter: number): Promise<never> {
    if (request.auditContext) {
      await this.audit.record(request.auditContext, false, 429);
    }
    throw new KvException(
      ErrorCode.RATE_LIMITED,
      `This caller sent more requests than its rate limit allows; retry after ${retryAfter} s`,
    );
  }
}
