import type { LoggerOptions } from 'pino';
import type { LogLevel } from '../config/kv-config.types';

/**
 * One pino configuration for Fastify's request loggers and Nest's logger. Tokens and values
 * are removed by configuration, so no log call can leak them.
 */
export function pinoOptions(level: LogLevel): LoggerOptions {
  return {
    level,
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
  };
}

/** Successful requests log at debug: nothing per request at the default level. */
export function completionLevel(statusCode: number): 'debug' | 'info' | 'error' {
  return statusCode >= 500 ? 'error' : statusCode >= 400 ? 'info' : 'debug';
}
