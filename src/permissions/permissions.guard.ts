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
import { TokenVerifier } from './token-verifier.service';

const MAX_AUDITED_KEY_LENGTH = 2048;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Global guard: a route is reachable only if it is @Public() or the bearer token carries
 * every permission the route declares; a route that declares nothing is closed. Denials of
 * audited routes leave their audit row here, as the interceptor never runs for them.
 */
@Injectable()
export class PermissionsGuard implements CanActivate {
  private readonly logger = new Logger(PermissionsGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly audit: AuditService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
      return true;
    }
    const required = this.reflector.getAllAndOverride<KvPermission[] | undefined>(
      PERMISSIONS_KEY,
      targets,
    );
    if (!required) {
      this.logger.error(
        `${context.getClass().name}.${context.getHandler().name} declares no permission`,
      );
      throw new KvException(ErrorCode.FORBIDDEN, 'This route is closed');
    }
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const audit = this.openAudit(context, request);
    try {
      const principal = await this.verifier.verify(request.headers.authorization);
      if (audit) {
        audit.userId = principal.sub;
      }
      const missing = required.filter((permission) => !principal.has(permission));
      if (missing.length > 0) {
        throw new KvException(ErrorCode.FORBIDDEN, `The token lacks ${missing.join(', ')}`);
      }
      request.principal = principal;
      return true;
    } catch (error) {
      if (audit) {
        await this.audit.record(audit, false, toProblem(error).status);
      }
      throw error;
    }
  }

  private openAudit(context: ExecutionContext, request: FastifyRequest): AuditContext | undefined {
    const route = this.reflector.get<AuditedRoute | undefined>(AUDITED_KEY, context.getHandler());
    if (!route) {
      return undefined;
    }
    const params = request.params as Record<string, string | undefined>;
    const namespaceId = route.namespaceParam ? params[route.namespaceParam] : undefined;
    const keyPath = route.keyParam ? params[route.keyParam] : undefined;
    const successStatus =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
      (request.method === 'POST' ? 201 : 200);
    request.auditContext = new AuditContext(
      typeof route.action === 'function' ? route.action(keyPath ?? '') : route.action,
      request.id,
      namespaceId !== undefined && UUID.test(namespaceId) ? namespaceId : null,
      // Whatever the URL named, if it can be stored: an invalid key is still worth recording.
      keyPath !== undefined && isCleanText(keyPath) && keyPath.length <= MAX_AUDITED_KEY_LENGTH
        ? keyPath
        : null,
      successStatus,
    );
    return request.auditContext;
  }
}
