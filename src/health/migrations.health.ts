import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';

/** Ready only once every migration has run; they cannot be undone while we run. */
@Injectable()
export class MigrationsHealthIndicator {
  private applied = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async isApplied(key: string): Promise<HealthIndicatorResult> {
    const check = this.indicator.check(key);
    if (!this.applied) {
      this.applied = !(await this.dataSource.showMigrations());
    }
    return this.applied ? check.up() : check.down({ message: 'pending migrations' });
  }
}
