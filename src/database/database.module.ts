import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { KvConfig } from '../config/kv-config.types';
import { ConnectionBudgetCheck } from './connection-budget.check';
import { DatabaseFaults } from './database-faults';
import { dataSourceOptions } from './data-source-options';
import { EmbeddedDatabaseService } from './embedded-database.service';
import { MigrationRunner } from './migration.runner';

/** What every module may need beside the connection: the embedded server, the faults seen. */
@Global()
@Module({
  providers: [EmbeddedDatabaseService, DatabaseFaults],
  exports: [EmbeddedDatabaseService, DatabaseFaults],
})
class DatabaseCoreModule {}

/** TypeORM on DATABASE_URL, or on the embedded PostgreSQL when it is unset; migrations run at start. */
@Module({
  providers: [MigrationRunner, ConnectionBudgetCheck],
  imports: [
    TypeOrmModule.forRootAsync({
      imports: [DatabaseCoreModule],
      inject: [ConfigService, EmbeddedDatabaseService],
      useFactory: async (
        config: ConfigService<KvConfig, true>,
        embedded: EmbeddedDatabaseService,
      ) => {
        const url = config.get('database.url', { infer: true });
        const target = url === undefined ? await embedded.start() : { url };
        return {
          ...dataSourceOptions(target, {
            idleTimeoutMs: config.get('database.idleTimeoutMs', { infer: true }),
            poolSize: config.get('database.poolSize', { infer: true }),
          }),
          // TypeORM's query logger prints parameters, which may be values: keep it off.
          logging: false,
          retryAttempts: 3,
          retryDelay: 2000,
        };
      },
    }),
  ],
})
export class DatabaseModule {}
