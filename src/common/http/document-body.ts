import { applyDecorators } from '@nestjs/common';
import { ApiConsumes } from '@nestjs/swagger';
import { type FastifyInstance, errorCodes } from 'fastify';
import { AddRouteConfig } from './route-config';

/** The part of a route's Fastify config that lets it take a text/plain body. */
export interface DocumentBodyRouteConfig {
  documentBody?: boolean;
}

/** The route takes a document (dotenv, JSON or YAML text) as a text/plain body, as a string. */
export const AcceptsDocumentBody = (): MethodDecorator =>
  applyDecorators(
    AddRouteConfig({ documentBody: true } satisfies DocumentBodyRouteConfig),
    ApiConsumes('text/plain'),
  );

/**
 * text/plain bodies reach only the routes that take documents; every other route answers 415
 * to them, as to any body that is not JSON.
 */
export function parseDocumentBodies(fastify: FastifyInstance): void {
  fastify.addContentTypeParser('text/plain', { parseAs: 'string' }, (request, body, done) => {
    const config = request.routeOptions.config as DocumentBodyRouteConfig;
    if (config.documentBody === true) {
      done(null, body);
    } else {
      done(
        new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(request.headers['content-type']),
        undefined,
      );
    }
  });
}
