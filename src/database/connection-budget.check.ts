import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { workerId } from '../cluster/worker-id';
import type { KvConfig } from '../config/kv-config.types';
import { CONNECTIONS_BESIDE_POOL, connectionsPerProcess } from './connection-budget';

interface ServerLimits {
  max_connections: number;
  reserved: number;
}

// Slots kept for superusers (and, from PostgreSQL 16, for roles granted pg_use_reserved_connections)
// are not there for the service's pools.
const SERVER_LIMITS = `
  SELECT current_setting('max_connections')::int AS max_connections,
         current_setting('superuser_reserved_connections')::int
           + coalesce(current_setting('reserved_connections', true)::int, 0) AS reserved`;

/**
 * Warns once at start when this host's workers could open more connections than PostgreSQL
 * gives out: KV_WORKERS x (KV_DB_POOL_SIZE + the audit and change-feed connections). Pools open
 * connections on demand, so the excess shows only under load, as refused connections. Replicas
 * on other hosts, and other clients, need their share too: the server cannot tell this process.
 */
@Injectable()
export class ConnectionBudgetCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger(ConnectionBudgetCheck.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ConfigService<KvConfig, true>,
  ) {}

  onApplicationBootstrap(): void {
    // The embedded database has its one connection; among workers, the first one speaks for all.
    if (this.config.get('database.url', { infer: true }) !== undefined && (workerId() ?? 1) === 1) {
      void this.check();
    }
  }

  /** Resolves to the warning logged, if any. */
  async check(): Promise<string | undefined> {
    const workers = this.config.get('workers.count', { infer: true });
    const poolSize = this.config.get('database.poolSize', { infer: true });
    let limits: ServerLimits;
    try {
      [limits] = await this.dataSource.query<ServerLimits[]>(SERVER_LIMITS);
    } catch (error) {
      this.logger.debug(`Could not read max_connections: ${(error as Error).message}`);
      return undefined;
    }
    const wanted = workers * connectionsPerProcess(poolSize);
    const available = limits.max_connections - limits.reserved;
    if (wanted <= available) {
      return undefined;
    }
    const warning =
      `KV_WORKERS=${workers} workers of ${connectionsPerProcess(poolSize)} connections each ` +
      `(KV_DB_POOL_SIZE=${poolSize} + ${CONNECTIONS_BESIDE_POOL} for audit rows and the change feed) ` +
      `may open ${wanted}, more than the ${available} PostgreSQL gives out (max_connections ` +
      `${limits.max_connections} less ${limits.reserved} reserved): under load, connections will be ` +
      'refused; lower KV_DB_POOL_SIZE or KV_WORKERS, or raise max_connections';
    this.logger.warn(warning);
    return warning;
  }
}
