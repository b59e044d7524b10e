import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuditContext } from './audit-context';

/** The audit context of the request, for services that fill it in or write it transactionally. */
export const Audit = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuditContext => {
    const audit = context.switchToHttp().getRequest<FastifyRequest>().auditContext;
    if (!audit) {
      throw new Error('@Audit() used on a route without @Audited()');
    }
    return audit;
  },
);
