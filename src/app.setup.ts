import type { IncomingMessage } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { FastifyBaseLogger, FastifyRequest, LogController } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'pino';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { boundCloseTime } from './common/http/bounded-close';
import { parseDocumentBodies } from './common/http/document-body';
import { requestIdOf } from './common/http/request-id';
import { httpServerOptions } from './common/http/http-server-options';
import { limitInflightBodies } from './common/http/inflight-bodies';
import { refusedUnroutedBody } from './common/http/unrouted-bodies';
import { securityHeaders } from './common/http/security-headers';
import { TRANSPORT_ERROR_OPTIONS } from './common/http/transport-errors';
import { serveConsole } from './console/console-assets';
import { installAsyncResourceBind } from './common/runtime/async-resource-bind';
import { encodeEntryKeySlashes } from './entries/entry-key-url';
import { LazyRequestLogger, PinoLike } from './logging/lazy-request-logger';
import { AuthenticationHook } from './permissions/authentication.hook';
import { RefusedBodyAudit } from './audit/refused-body.hook';
import { completionLevel, pinoOptions } from './logging/pino-options';
import { createValidationPipe } from './common/validation/validation.pipe';
import type { KvConfig } from './config/kv-config.types';

export const API_PREFIX = 'api/v1/kv';
export const SWAGGER_PATH = `${API_PREFIX}/swagger-ui`;

/** Creates the application exactly as it serves: used by main.ts, the tests and the spec export. */
export async function createApp(config: KvConfig): Promise<NestFastifyApplication> {
  installAsyncResourceBind();
  const adapter = new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    logger: pinoOptions(config.logging.level),
    childLoggerFactory: (
      logger: FastifyBaseLogger,
      bindings: Bindings,
      options: ChildLoggerOptions,
    ) => new LazyRequestLogger(logger as PinoLike, bindings, options),
    // One line per request, written below at a level that depends on the outcome.
    logController: new LogController({ disableRequestLogging: true }),
    // Entries are named by key paths up to 512 characters, percent-encoded up to three times that.
    routerOptions: { maxParamLength: 2048 },
    return503OnClosing: true,
    // No Nest middleware is used: no middie to run on every request.
    skipMiddie: true,
    genReqId: requestIdOf,
    rewriteUrl: (request: IncomingMessage) =>
      encodeEntryKeySlashes(request.method ?? '', request.url ?? '/'),
    ...TRANSPORT_ERROR_OPTIONS,
    ...httpServerOptions(config.http),
  });
  adapter.getInstance().addHook('onResponse', (request, reply, done) => {
    const level = completionLevel(reply.statusCode);
    if ((request.log as LazyRequestLogger).isLevelEnabled(level)) {
      request.log[level](
        {
          req: { method: request.method, url: request.originalUrl },
          res: { statusCode: reply.statusCode },
          responseTime: reply.elapsedTime,
        },
        'request completed',
      );
    }
    done();
  });
  boundCloseTime(adapter.getInstance());
  limitInflightBodies(
    adapter.getInstance(),
    config.http.maxInflightBodyBytes,
    config.http.bodyLimitBytes,
  );
  // JSON, and text/plain for the routes that take documents only: elsewhere a text/plain body
  // is 415, not a string handed to validation.
  adapter.getInstance().removeContentTypeParser('text/plain');
  parseDocumentBodies(adapter.getInstance());
  const headers = securityHeaders({
    // The Swagger UI page needs its inline bootstrap script and styles.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    void reply.headers(headers).header('x-request-id', request.id);
    if (!refusedUnroutedBody(request, reply)) {
      done();
    }
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  // Before app.init() registers the routes: the hooks attach to each route that needs a token,
  // and to each audited route that takes a body.
  app.get(AuthenticationHook).install(adapter.getInstance());
  app.get(RefusedBodyAudit).install(adapter.getInstance());
  parseJsonBodies(app);
  applyGlobalPrefix(app);
  app.useGlobalPipes(createValidationPipe());
  // Built on the first request for it, not at start: a tenth of a second off every start.
  SwaggerModule.setup(SWAGGER_PATH, app, () => buildOpenApi(app), {
    jsonDocumentUrl: `${SWAGGER_PATH}-json`,
    // The bearer token entered in "Authorize" survives a reload of the page.
    swaggerOptions: { persistAuthorization: true },
  });
  if (config.console.enabled) {
    await serveConsole(app);
  }
  app.enableShutdownHooks();
  return app;
}

/**
 * The only body parser: JSON (other media types are 415). Clients that set Content-Type:
 * application/json on every request (a DELETE, say) send no body at all: that is no body, not
 * malformed JSON. Other bodies go through Fastify's parser, which rejects __proto__ and
 * constructor keys.
 */
function parseJsonBodies(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser(
    'application/json',
    { bodyLimit: fastify.initialConfig.bodyLimit },
    (request, body, done) =>
      body.length === 0
        ? done(null, undefined)
        : parseJson(request as FastifyRequest, body.toString('utf8'), done),
  );
}

/** Every route under /api/v1/kv but health and metrics. */
export function applyGlobalPrefix(app: NestFastifyApplication): void {
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
}

/** The OpenAPI document of the application's routes. */
export function buildOpenApi(app: NestFastifyApplication): OpenAPIObject {
  const options = new DocumentBuilder()
    .setTitle('KV Service')
    .setDescription(
      'Configuration and secrets for the applications of the platform: hierarchical keys in namespaces, ' +
        'encrypted and versioned secret namespaces, TTLs, audit and change events. Errors are ' +
        'application/problem+json with a stable `code`.',
    )
    .setVersion('1.0.0')
    .setLicense('Proprietary', 'https://example.invalid/kv-service/license')
    .addServer('/', 'This service')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .build();
  const document = SwaggerModule.createDocument(app, options, {
    operationIdFactory: (_controllerKey, methodKey) => methodKey,
  });
  // Public routes say so explicitly: no security requirement at all.
  for (const pathItem of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete'] as const) {
      const operation = pathItem[method];
      if (operation && !operation.security) {
        operation.security = [];
      }
    }
  }
  return document;
}
