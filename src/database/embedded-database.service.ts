import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';
import type { KvConfig } from '../config/kv-config.types';
import { EmbeddedDatabase, EmbeddedEndpoint } from './embedded-database';

/** Owns the embedded database's lifetime inside the application. */
@Injectable()
export class EmbeddedDatabaseService implements OnApplicationShutdown {
  private readonly logger = new Logger(EmbeddedDatabase.name);
  private readonly embedded: EmbeddedDatabase;

  constructor(
    config: ConfigService<KvConfig, true>,
    private readonly moduleRef: ModuleRef,
  ) {
    this.embedded = EmbeddedDatabase.of(config.get('database.dataDir', { infer: true }));
  }

  start(): Promise<EmbeddedEndpoint> {
    this.logger.warn(
      `Embedded database: PGlite in ${this.embedded.pgDataDir} (no DATABASE_URL set; for development only)`,
    );
    return this.embedded.start();
  }

  async onApplicationShutdown(): Promise<void> {
    // The pool must close before the server under it, whichever shutdown hook Nest runs first.
    const dataSource = this.moduleRef.get(DataSource, { strict: false });
    if (dataSource.isInitialized) {
      await dataSource.destroy();
    }
    await this.embedded.stop();
  }
}
