import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiProblemResponses } from '../common/errors/api-problem-responses.decorator';
import { AddRouteConfig } from '../common/http/route-config';
import { KvPermission } from './kv-permission.enum';

export const PERMISSIONS_KEY = 'kv:permissions';

/** The part of a route's Fastify config telling the authentication hook to verify its token. */
export interface AuthenticatedRouteConfig {
  authenticated?: boolean;
}

/**
 * The permissions a route needs, all of them; also documents bearer auth, 401/403, the 429 of
 * the per-caller rate limit and of the per-address budget of failures, and the 408, 431 and 500
 * that any route may answer.
 */
export function RequirePermissions(...permissions: KvPermission[]): MethodDecorator {
  return applyDecorators(
    SetMetadata(PERMISSIONS_KEY, permissions),
    // The authentication hook verifies the token of the route before its body is read.
    AddRouteConfig({ authenticated: true } satisfies AuthenticatedRouteConfig),
    ApiBearerAuth('bearer'),
    ApiProblemResponses(
      [401, 'Missing, malformed, expired or wrongly signed bearer token (UNAUTHORIZED)'],
      [403, `The token lacks ${permissions.join(' and ')} (FORBIDDEN)`],
      408,
      429,
      431,
      500,
    ),
  );
}
