import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { DatabaseFaults } from '../database/database-faults';

/** Down while the requests' own statements fail, even if a ping still gets through. */
@Injectable()
export class DatabaseFaultsHealthIndicator {
  constructor(
    private readonly faults: DatabaseFaults,
    private readonly indicator: HealthIndicatorService,
  ) {}

  check(key: string): HealthIndicatorResult {
    const check = this.indicator.check(key);
    const reason = this.faults.current();
    return reason === undefined ? check.up() : check.down({ message: reason });
  }
}
