import { Injectable } from '@nestjs/common';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
} from 'fastify';
import type { AuditedRoute, AuditedRouteConfig } from '../audit/audited.decorator';
import { AuditService } from '../audit/audit.service';
import { openAuditContext } from '../audit/open-audit-context';
import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException } from '../common/errors/kv.exception';
import { sendProblem, toProblem } from '../common/errors/problem.filter';
import { announcesBody } from '../common/http/announces-body';
import { FailedAuthLimiter } from '../rate-limit/failed-auth-limiter';
import type { AuthenticatedRouteConfig } from './require-permissions.decorator';
import { TokenVerifier } from './token-verifier.service';

/**
 * Verifies the bearer token of every route that requires one in a Fastify onRequest hook of
 * that route, before the body is read and before Nest runs; the permissions guard then trusts
 * the principal it leaves on the request. A request it refuses is answered at once: its body is
 * never read (the connection is closed instead, so an unauthenticated client can make the
 * service neither buffer nor parse a body), and its 401 is audited within the client
 * address's budget of failures (429 past it, unaudited). A cached token is admitted without
 * an await, as the guard did; routes that need no token do not run the hook at all.
 */
@Injectable()
export class AuthenticationHook {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly audit: AuditService,
    private readonly failures: FailedAuthLimiter,
  ) {}

  /** Hooks every route that requires a token; call it before the routes are registered. */
  install(fastify: FastifyInstance): void {
    fastify.addHook('onRoute', (route) => {
      const config: (AuthenticatedRouteConfig & AuditedRouteConfig) | undefined = route.config;
      if (config?.authenticated !== true) {
        return;
      }
      const audited = config.audited;
      const hooks = route.onRequest === undefined ? [] : [route.onRequest].flat();
      route.onRequest = [
        ...hooks,
        (request, reply, done) => this.authenticate(request, reply, done, audited),
      ];
    });
  }

  private authenticate(
    request: FastifyRequest,
    reply: FastifyReply,
    done: HookHandlerDoneFunction,
    audited: AuditedRoute | undefined,
  ): void {
    const authorization = request.headers.authorization;
    const known = this.verifier.known(authorization);
    if (known) {
      request.principal = known;
      done();
      return;
    }
    this.verifier.verify(authorization).then(
      (principal) => {
        request.principal = principal;
        done();
      },
      (error: unknown) => void this.refuse(request, reply, audited, error),
    );
  }

  private async refuse(
    request: FastifyRequest,
    reply: FastifyReply,
    audited: AuditedRoute | undefined,
    error: unknown,
  ): Promise<void> {
    if (announcesBody(request.headers)) {
      void reply.header('connection', 'close');
    }
    let problem = toProblem(error);
    try {
      const retryAfter = problem.status === 401 ? this.failures.take(request.ip) : 0;
      if (retryAfter > 0) {
        void reply.header('retry-after', String(retryAfter));
        problem = toProblem(
          new KvException(
            ErrorCode.RATE_LIMITED,
            `Too many failed authentications from this address; retry after ${retryAfter} s`,
          ),
        );
      } else if (audited) {
        const audit = openAuditContext(audited, request, problem.status);
        await this.audit.record(audit, false, problem.status);
      }
    } catch (auditError) {
      problem = toProblem(auditError);
    }
    sendProblem(reply, problem);
  }
}
