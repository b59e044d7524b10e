import { HttpStatus, Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  PROBLEM_CONTENT_TYPE,
  RETRY_AFTER_SECONDS,
  toProblem,
} from '../common/errors/problem.filter';
import type { AuditedRoute, AuditedRouteConfig } from './audited.decorator';
import { AuditService } from './audit.service';
import { openAuditContext } from './open-audit-context';

/** What Fastify answers while reading a body, before Nest (and so its guard) runs. */
const REFUSED_WHILE_READING = new Set<number>([
  HttpStatus.BAD_REQUEST,
  HttpStatus.PAYLOAD_TOO_LARGE,
  HttpStatus.UNSUPPORTED_MEDIA_TYPE,
]);
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Audits the requests of audited routes that were refused while their body was read
 * (malformed JSON 400, too large 413, another media type 415): they never reach the guard
 * that opens the audit row of every other request. The row is written before the answer
 * goes out; if it cannot be, the answer is 503, as for any request whose row is lost.
 */
@Injectable()
export class RefusedBodyAudit {
  constructor(private readonly audit: AuditService) {}

  /** Hooks every audited route that takes a body; call it before the routes are registered. */
  install(fastify: FastifyInstance): void {
    fastify.addHook('onRoute', (route) => {
      const config: AuditedRouteConfig | undefined = route.config;
      const audited = config?.audited;
      const methods = [route.method].flat();
      if (audited === undefined || !methods.some((method) => BODY_METHODS.has(method))) {
        return;
      }
      const hooks = route.onSend === undefined ? [] : [route.onSend].flat();
      route.onSend = [
        ...hooks,
        (request: FastifyRequest, reply: FastifyReply, payload: unknown) =>
          this.recorded(request, reply, payload, audited),
      ];
    });
  }

  private async recorded(
    request: FastifyRequest,
    reply: FastifyReply,
    payload: unknown,
    audited: AuditedRoute,
  ): Promise<unknown> {
    if (request.auditContext !== undefined || !REFUSED_WHILE_READING.has(reply.statusCode)) {
      return payload;
    }
    const audit = openAuditContext(audited, request, reply.statusCode);
    try {
      await this.audit.record(audit, false, reply.statusCode);
      return payload;
    } catch (error) {
      const problem = toProblem(error);
      void reply
        .code(problem.status)
        .header('retry-after', String(RETRY_AFTER_SECONDS))
        .header('content-type', PROBLEM_CONTENT_TYPE);
      return JSON.stringify(problem);
    }
  }
}
