import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AuditContext } from '../audit/audit-context';
import { AUDITED_KEY, AuditedRoute } from '../audit/audited.decorator';
import { AuditService } from '../audit/audit.service';
import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException } from '../common/errors/kv.exception';
import { toProblem } from '../common/errors/problem.filter';
import { isCleanText } from '../common/validation/is-clean-text.decorator';
import { KvPermission } from './kv-permission.enum';
import { PUBLIC_KEY } from './public.decorator';
import { PERMISSIONS_KEY } from './require-permissions.decorator';
import type { Principal } from './principal';
import { TokenVerifier } from './token-verifier.service';

const MAX_AUDITED_KEY_LENGTH = 2048;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the guard needs to know of a route, read from its decorators once. */
interface RouteRules {
  isPublic: boolean;
  /** Undefined: the route declares nothing and is closed. */
  required: KvPermission[] | undefined;
  audited: AuditedRoute | undefined;
  successStatus: number | undefined;
}

/**
 * Global guard: a route is reachable only if it is @Public() or the bearer token carries
 * every permission the route declares; a route that declares nothing is closed. Denials of
 * audited routes leave their audit row here, as the interceptor never runs for them.
 */
@Injectable()
export class PermissionsGuard implements CanActivate {
  private readonly logger = new Logger(PermissionsGuard.name);
  /** Decorators do not change at run time: each handler's are read on its first request. */
  private readonly rules = new WeakMap<object, RouteRules>();

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly audit: AuditService,
  ) {}

  /** Synchronous for a token already verified that carries the permissions: the usual case. */
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
    const required = rules.required;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const audit = rules.audited && this.openAudit(rules.audited, rules.successStatus, request);
    const known = this.verifier.known(request.headers.authorization);
    if (known && required.every((permission) => known.has(permission))) {
      this.admit(request, audit, known);
      return true;
    }
    return this.verify(request, audit, required);
  }

  private async verify(
    request: FastifyRequest,
    audit: AuditContext | undefined,
    required: KvPermission[],
  ): Promise<boolean> {
    try {
      const principal = await this.verifier.verify(request.headers.authorization);
      if (audit) {
        audit.userId = principal.sub;
      }
      const missing = required.filter((permission) => !principal.has(permission));
      if (missing.length > 0) {
        throw new KvException(ErrorCode.FORBIDDEN, `The token lacks ${missing.join(', ')}`);
      }
      this.admit(request, audit, principal);
      return true;
    } catch (error) {
      if (audit) {
        await this.audit.record(audit, false, toProblem(error).status);
      }
      throw error;
    }
  }

  private admit(
    request: FastifyRequest,
    audit: AuditContext | undefined,
    principal: Principal,
  ): void {
    if (audit) {
      audit.userId = principal.sub;
    }
    request.principal = principal;
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
        audited: this.reflector.get<AuditedRoute | undefined>(AUDITED_KEY, handler),
        successStatus: this.reflector.get<number | undefined>(HTTP_CODE_METADATA, handler),
      };
      this.rules.set(handler, rules);
    }
    return rules;
  }

  private openAudit(
    route: AuditedRoute,
    httpCode: number | undefined,
    request: FastifyRequest,
  ): AuditContext {
    const params = request.params as Record<string, string | undefined>;
    const namespaceId = route.namespaceParam ? params[route.namespaceParam] : undefined;
    const keyPath = route.keyParam ? params[route.keyParam] : undefined;
    request.auditContext = new AuditContext(
      typeof route.action === 'function' ? route.action(keyPath ?? '') : route.action,
      request.id,
      namespaceId !== undefined && UUID.test(namespaceId) ? namespaceId : null,
      // Whatever the URL named, if it can be stored: an invalid key is still worth recording.
      keyPath !== undefined && isCleanText(keyPath) && keyPath.length <= MAX_AUDITED_KEY_LENGTH
        ? keyPath
        : null,
      httpCode ?? (request.method === 'POST' ? 201 : 200),
    );
    return request.auditContext;
  }
}
