import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditService } from '../audit/audit.service';
import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException } from '../common/errors/kv.exception';
import { FailedAuthLimiter } from '../rate-limit/failed-auth-limiter';
import { KvPermission } from './kv-permission.enum';
import { PUBLIC_KEY } from './public.decorator';
import { PERMISSIONS_KEY } from './require-permissions.decorator';

/** What the guard needs to know of a route, read from its decorators once. */
interface RouteRules {
  isPublic: boolean;
  /** Undefined: the route declares nothing and is closed. */
  required: KvPermission[] | undefined;
}

/**
 * Global guard: a route is reachable only if it is @Public() or the bearer token carries
 * every permission the route declares; a route that declares nothing is closed. The token
 * itself was verified by the authentication hook, before the body was read. A denial of an
 * audited route records the audit context the audit guard opened, as the interceptor never
 * runs for it.
 */
@Injectable()
export class PermissionsGuard implements CanActivate {
  private readonly logger = new Logger(PermissionsGuard.name);
  /** Decorators do not change at run time: each handler's are read on its first request. */
  private readonly rules = new WeakMap<object, RouteRules>();

  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
    private readonly failures: FailedAuthLimiter,
  ) {}

  /** Synchronous when the caller holds the permissions: the usual case. */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const rules = this.rulesOf(context);
    if (rules.isPublic) {
      return true;
    }
    if (!rules.required) {
      this.logger.error(
        `${context.getClass().name}.${context.getHandler().name} declares no permission`,
      );
      throw new KvException(ErrorCode.FORBIDDEN, 'This route is closed');
    }
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    // Verified by the authentication hook before the body was read.
    const principal = request.principal;
    if (principal === undefined) {
      // Every route that declares permissions is marked for the hook: a route that reaches
      // here without a caller is a wiring fault, and stays closed.
      this.logger.error(
        `${context.getClass().name}.${context.getHandler().name} was not authenticated`,
      );
      throw new KvException(ErrorCode.UNAUTHORIZED, 'A valid bearer token is required');
    }
    const missing = rules.required.filter((permission) => !principal.has(permission));
    if (missing.length === 0) {
      return true;
    }
    return this.forbid(request, http.getResponse<FastifyReply>(), missing);
  }

  /** A 403, audited within the client address's budget of failures; 429 past it. */
  private async forbid(
    request: FastifyRequest,
    reply: FastifyReply,
    missing: KvPermission[],
  ): Promise<never> {
    const retryAfter = this.failures.take(request.ip);
    if (retryAfter > 0) {
      void reply.header('retry-after', String(retryAfter));
      throw new KvException(
        ErrorCode.RATE_LIMITED,
        `Too many refused requests from this address; retry after ${retryAfter} s`,
      );
    }
    if (request.auditContext) {
      await this.audit.record(request.auditContext, false, 403);
    }
    throw new KvException(ErrorCode.FORBIDDEN, `The token lacks ${missing.join(', ')}`);
  }

  private rulesOf(context: ExecutionContext): RouteRules {
    const handler = context.getHandler();
    let rules = this.rules.get(handler);
    if (rules === undefined) {
      const targets = [handler, context.getClass()];
      rules = {
        isPublic: this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) ?? false,
        required: this.reflector.getAllAndOverride<KvPermission[] | undefined>(
          PERMISSIONS_KEY,
          targets,
        ),
      };
      this.rules.set(handler, rules);
    }
    return rules;
  }
}
