import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AUDITED_KEY, AuditedRoute } from './audited.decorator';
import { openAuditContext } from './open-audit-context';

/** What the guard needs to know of a route, read from its decorators once. */
interface RouteAudit {
  audited: AuditedRoute | undefined;
  successStatus: number | undefined;
}

/**
 * The first global guard: opens the audit context of every request of an audited route, with
 * the caller the authentication hook verified, before any other guard can refuse it. It never
 * refuses anything itself.
 */
@Injectable()
export class AuditGuard implements CanActivate {
  /** Decorators do not change at run time: each handler's are read on its first request. */
  private readonly routes = new WeakMap<object, RouteAudit>();

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): true {
    const { audited, successStatus } = this.routeOf(context);
    if (audited) {
      const request = context.switchToHttp().getRequest<FastifyRequest>();
      openAuditContext(audited, request, successStatus ?? (request.method === 'POST' ? 201 : 200));
    }
    return true;
  }

  private routeOf(context: ExecutionContext): RouteAudit {
    const handler = context.getHandler();
    let route = this.routes.get(handler);
    if (route === undefined) {
      route = {
        audited: this.reflector.get<AuditedRoute | undefined>(AUDITED_KEY, handler),
        successStatus: this.reflector.get<number | undefined>(HTTP_CODE_METADATA, handler),
      };
      this.routes.set(handler, route);
    }
    return route;
  }
}
