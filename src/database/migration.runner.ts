import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import type { KvConfig } from '../config/kv-config.types';

/** Arbitrary constant naming the advisory lock that serialises migrations across replicas. */
const MIGRATION_LOCK = 7_351_001;

/**
 * Runs pending migrations at start-up. Replicas starting together take turns through an
 * advisory lock, so no two of them run the same migration.
 */
@Injectable()
export class MigrationRunner implements OnModuleInit {
  private readonly logger = new Logger(MigrationRunner.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ConfigService<KvConfig, true>,
  ) {}

  async onModuleInit(): Promise<void> {
    // The embedded database has one process and a pool of one connection: no lock needed,
    // and a lock held on that one connection would leave none for the migrations.
    if (this.config.get('database.url', { infer: true }) === undefined) {
      return this.run();
    }
    const lock = this.dataSource.createQueryRunner();
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await this.run();
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      await lock.release();
    }
  }

  private async run(): Promise<void> {
    const executed = await this.dataSource.runMigrations({ transaction: 'each' });
    if (executed.length > 0) {
      this.logger.log(
        `Applied ${executed.length} migration(s): ${executed.map((m) => m.name).join(', ')}`,
      );
    }
  }
}
