import type { SchemaObject } from '@nestjs/swagger';

/** The body of /health/live. */
export const LIVENESS_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', enum: ['ok'] } },
  example: { status: 'ok' },
};

// One check's outcome, keyed by check name (database, migrations, crypto, broker).
const CHECKS: SchemaObject = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string' } },
  },
};

const READINESS: SchemaObject = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['ok', 'error', 'shutting_down'] },
    info: CHECKS,
    error: CHECKS,
    details: CHECKS,
  },
};

/** The body of /health/ready when ready: Terminus's health check result. */
export const READY_SCHEMA: SchemaObject = {
  ...READINESS,
  example: {
    status: 'ok',
    info: { database: { status: 'up' }, migrations: { status: 'up' } },
    error: {},
    details: {
      database: { status: 'up' },
      migrations: { status: 'up' },
      crypto: { status: 'up' },
      broker: { status: 'up' },
    },
  },
};

/** The body of /health/ready when not ready: the failed check is under error. */
export const NOT_READY_SCHEMA: SchemaObject = {
  ...READINESS,
  example: {
    status: 'error',
    info: {},
    error: { database: { status: 'down' } },
    details: { database: { status: 'down' } },
  },
};
