import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { EntryStoreModule } from '../entries/store/entry-store.module';
import { HealthController } from './health.controller';
import { DatabaseFaultsHealthIndicator } from './database-faults.health';
import { MetricsService } from './metrics.service';
import { MigrationsHealthIndicator } from './migrations.health';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), EntryStoreModule],
  controllers: [HealthController],
  providers: [MetricsService, MigrationsHealthIndicator, DatabaseFaultsHealthIndicator],
  exports: [MetricsService],
})
export class HealthModule {}
