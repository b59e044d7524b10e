import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Observable, from, lastValueFrom } from 'rxjs';
import { toProblem } from '../common/errors/problem.filter';
import type { AuditContext } from './audit-context';
import { AuditService } from './audit.service';

/**
 * Leaves the request's audit row, success or failure, unless the change already wrote it in
 * its own transaction. The response waits until the row is durable. Awaits the handler
 * rather than chaining operators: two operators per request were a tenth of a cached GET.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const audit = context.switchToHttp().getRequest<FastifyRequest>().auditContext;
    return audit ? from(this.recorded(audit, next)) : next.handle();
  }

  private async recorded(audit: AuditContext, next: CallHandler): Promise<unknown> {
    let result: unknown;
    try {
      result = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (error) {
      await this.audit.record(audit, false, toProblem(error).status);
      throw error;
    }
    await this.audit.record(audit, true, audit.successStatus);
    return result;
  }
}
