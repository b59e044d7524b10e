import { SetMetadata, applyDecorators } from '@nestjs/common';
import { AddRouteConfig } from '../common/http/route-config';
import { AuditAction } from './audit-action.enum';

export const AUDITED_KEY = 'kv:audited';

export interface AuditedRoute {
  action: AuditAction;
  /** The path parameter holding the namespace id, if the route names one. */
  namespaceParam?: string;
  /** The path parameter holding the key path, if the route names one. */
  keyParam?: string;
}

/** The part of an audited route's Fastify config: its audit rule, for the hooks before Nest. */
export interface AuditedRouteConfig {
  audited?: AuditedRoute;
}

/**
 * Every call of the route leaves one audit row with this action, success or failure; also
 * known to the authentication hook, which audits the requests it refuses before Nest runs.
 */
export const Audited = (
  action: AuditedRoute['action'],
  namespaceParam?: string,
  keyParam?: string,
): MethodDecorator => {
  const route: AuditedRoute = { action, namespaceParam, keyParam };
  return applyDecorators(
    SetMetadata(AUDITED_KEY, route),
    AddRouteConfig({ audited: route } satisfies AuditedRouteConfig),
  );
};
