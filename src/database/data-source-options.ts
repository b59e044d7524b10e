import type { ClientBase } from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export type DatabaseTarget = { url: string } | { host: string; port: number };

/** Bounded waits, so an unreachable database becomes a prompt 503 instead of a hang. */
export const BOUNDED_WAITS = {
  connectionTimeoutMillis: 5000,
  query_timeout: 15000,
  keepAlive: true,
};

/**
 * The embedded server keeps one PGlite session for every connection it ever served, so a new
 * connection finds the statements its predecessor prepared, which the driver knows nothing of
 * and would prepare again ("already exists"). It starts with none.
 */
function forgetPreparedStatements(client: ClientBase): Promise<unknown> {
  return client.query('DEALLOCATE ALL');
}

/**
 * Options shared by the service and the migration CLI (ormconfig.ts): the schema is the
 * migrations, never synchronize.
 */
export function dataSourceOptions(
  target: DatabaseTarget,
  { poolSize = 10, idleTimeoutMs = 10_000 } = {},
): DataSourceOptions {
  const embedded = 'host' in target;
  return {
    type: 'postgres',
    ...(embedded
      ? { host: target.host, port: target.port, username: 'postgres', database: 'postgres' }
      : { url: target.url }),
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    uuidExtension: 'pgcrypto',
    extra: {
      max: embedded ? 1 : poolSize,
      idleTimeoutMillis: idleTimeoutMs,
      ...(embedded ? { onConnect: forgetPreparedStatements } : {}),
      ...BOUNDED_WAITS,
    },
  };
}
