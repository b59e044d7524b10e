import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';

/**
 * Adds `part` to the Fastify config of a route, which the hooks that run before Nest (and
 * before the body is read) see; each decorator that adds a part types it (AuditedRouteConfig,
 * AuthenticatedRouteConfig). Nest's @RouteConfig() sets the config whole, so two decorators
 * each with a part of it would overwrite one another; this merges.
 */
export function AddRouteConfig(part: object): MethodDecorator {
  return (_target, _key, descriptor) => {
    const handler = descriptor.value as object;
    const current = Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) as
      object | undefined;
    Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...current, ...part }, handler);
    return descriptor;
  };
}
