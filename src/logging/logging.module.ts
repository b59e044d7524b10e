import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { KvConfig } from '../config/kv-config.types';
import { pinoOptions } from './pino-options';

/**
 * Structured JSON logs with the request id on every line: Nest's logger writes through the
 * request's own Fastify logger (`useExisting`), which carries `reqId`. Fastify's request
 * logging replaced pino-http, which cost about 100 µs of CPU per request here.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<KvConfig, true>) => ({
        useExisting: true,
        // The request context is bound by a Fastify hook (app.setup.ts), not a Nest middleware.
        forRoutes: [],
        // The logger of lines written outside any request.
        pinoHttp: pinoOptions(config.get('logging.level', { infer: true })),
      }),
    }),
  ],
})
export class LoggingModule {}
