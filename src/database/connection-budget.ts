/** The audit service's own pool: group commits of audit rows, two in flight (audit.service.ts). */
export const AUDIT_FLUSH_CONNECTIONS = 2;
/** The change feed's one client, polling the outbox (events/change-feed.service.ts). */
export const CHANGE_FEED_CONNECTIONS = 1;
/**
 * What each process (each worker) holds besides its main pool of KV_DB_POOL_SIZE. Everything
 * else (the outbox relay, the TTL sweeper, audit retention, migrations and their lock, health)
 * takes its connections from the main pool.
 */
export const CONNECTIONS_BESIDE_POOL = AUDIT_FLUSH_CONNECTIONS + CHANGE_FEED_CONNECTIONS;

/** The most connections one process opens to PostgreSQL. */
export function connectionsPerProcess(poolSize: number): number {
  return poolSize + CONNECTIONS_BESIDE_POOL;
}
