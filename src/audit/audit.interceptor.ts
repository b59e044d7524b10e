import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Observable, catchError, mergeMap } from 'rxjs';
import { toProblem } from '../common/errors/problem.filter';
import { AuditService } from './audit.service';

/**
 * Leaves the request's audit row, success or failure, unless the change already wrote it in
 * its own transaction. The response waits until the row is durable.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const audit = context.switchToHttp().getRequest<FastifyRequest>().auditContext;
    if (!audit) {
      return next.handle();
    }
    return next.handle().pipe(
      mergeMap(async (result: unknown) => {
        await this.audit.record(audit, true, audit.successStatus);
        return result;
      }),
      catchError(async (error: unknown) => {
        await this.audit.record(audit, false, toProblem(error).status);
        throw error;
      }),
    );
  }
}
