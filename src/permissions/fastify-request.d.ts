import type { AuditContext } from '../audit/audit-context';
import type { Principal } from './principal';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the permissions guard once the token is verified. */
    principal?: Principal;
    /** Set by the permissions guard on audited routes; filled in by services. */
    auditContext?: AuditContext;
  }
}
