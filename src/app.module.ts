import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { appGuards } from './app.guards';
import { AuditModule } from './audit/audit.module';
import { ProblemFilter } from './common/errors/problem.filter';
import { KvConfigModule } from './config/config.module';
import type { KvConfig } from './config/kv-config.types';
import { CryptoModule } from './crypto/crypto.module';
import { DatabaseModule } from './database/database.module';
import { EntriesModule } from './entries/entries.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { HistoryModule } from './history/history.module';
import { LoggingModule } from './logging/logging.module';
import { NamespacesModule } from './namespaces/namespaces.module';
import { PermissionsModule } from './permissions/permissions.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { SecretsModule } from './secrets/secrets.module';

@Module({})
export class AppModule {
  /** The application for a configuration already validated by loadConfig. */
  static forRoot(config: KvConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        KvConfigModule.forRoot(config),
        LoggingModule,
        DatabaseModule,
        AuditModule,
        CryptoModule,
        EventsModule.forRoot(config),
        PermissionsModule,
        RateLimitModule.forRoot(config),
        HealthModule,
        NamespacesModule,
        EntriesModule,
        SecretsModule,
        HistoryModule,
      ],
      providers: [...appGuards(config), { provide: APP_FILTER, useClass: ProblemFilter }],
    };
  }
}
