import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal as PrincipalModel } from './principal';

/** The verified caller of the request, set by the authentication hook. */
export const Principal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): PrincipalModel => {
    const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
    if (!principal) {
      throw new Error('@Principal() used on a route without @RequirePermissions()');
    }
    return principal;
  },
);
