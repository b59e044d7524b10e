import type { AuditContext } from '../audit/audit-context';
import type { Principal } from './principal';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook once the token is verified, before the body is read. */
    principal?: Principal;
    /** Set on audited routes by the permissions guard (or the authentication hook, for a 401); filled in by services. */
    auditContext?: AuditContext;
  }
}
