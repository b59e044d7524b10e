import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import type { AuditedRoute } from '../../audit/audited.decorator';

/**
 * What Fastify knows of a route Nest serves, for the hooks that run before Nest and before the
 * body is read: its route config, filled in by the route's decorators (empty for public ones).
 */
export interface KvRouteConfig {
  /** The route needs a verified bearer token (it declares @RequirePermissions). */
  authenticated?: boolean;
  /** The route's audit rule, for the rows of requests refused before Nest runs. */
  audited?: AuditedRoute;
}

/**
 * Adds `part` to the Fastify config of a route. Nest's @RouteConfig() sets it whole, so two
 * decorators each with a part of it would overwrite one another; this merges.
 */
export function AddRouteConfig(part: KvRouteConfig): MethodDecorator {
  return (_target, _key, descriptor) => {
    const handler = descriptor.value as object;
    const current = Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) as
      KvRouteConfig | undefined;
    Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...current, ...part }, handler);
    return descriptor;
  };
}
