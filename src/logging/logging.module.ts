import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { KvConfig } from '../config/kv-config.types';
import { pinoOptions } from './pino-options';

/**
 * Structured JSON logs through Fastify's pino (`useExisting`). A request's lines (its
 * completion line, the problem filter's error) go through the request's own logger and carry
 * `reqId`; Nest's logger writes the rest without binding each request to it through
 * AsyncLocalStorage, whose promise hooks cost ~15 % of a cached GET's CPU here. Fastify's
 * request logging replaced pino-http, which cost about 100 µs of CPU per request.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<KvConfig, true>) => ({
        useExisting: true,
        // No request context for Nest's logger: see above.
        forRoutes: [],
        // The logger of lines written outside any request.
        pinoHttp: pinoOptions(config.get('logging.level', { infer: true })),
      }),
    }),
  ],
})
export class LoggingModule {}
