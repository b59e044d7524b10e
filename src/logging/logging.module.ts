import { Module, RequestMethod } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { KvConfig } from '../config/kv-config.types';

/**
 * Structured JSON logs with the request id (Fastify's request.id, see app.setup.ts) on every
 * line. Tokens and values are removed by configuration, so no log call can leak them.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<KvConfig, true>) => ({
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
        pinoHttp: {
          level: config.get('logging.level', { infer: true }),
          // Successful requests log at debug: nothing per request at the default level, while
          // rejections and failures stay visible.
          customLogLevel: (_req: unknown, res: { statusCode: number }, err?: Error) =>
            err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug',
          redact: {
            paths: [
              'req.headers.authorization',
              'req.headers.cookie',
              'value',
              '*.value',
              '*.*.value',
              '*.*.*.value',
              'body',
              '*.body',
            ],
            censor: '[redacted]',
          },
          serializers: {
            req: (req: { id: string; method: string; url: string }) => ({
              id: req.id,
              method: req.method,
              url: req.url,
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
