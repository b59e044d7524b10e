import { Injectable } from '@nestjs/common';
import { sqlStateOf } from './is-database-unavailable';

/** How long a failed request keeps readiness down when no query succeeds after it. */
export const FAULT_WINDOW_MS = 30_000;

/**
 * What the requests themselves learnt about the database. A ping can succeed while every
 * real statement fails (a broken prepared statement, a full disk): readiness must then say
 * so as soon as the requests do, and recover as soon as one of them succeeds again.
 */
@Injectable()
export class DatabaseFaults {
  private lastFault?: { at: number; reason: string };

  /** A request failed for a database reason. */
  record(error: unknown): void {
    this.lastFault = {
      at: Date.now(),
      // The SQLSTATE or the driver's code only: a message can quote input.
      reason: `a request failed with ${sqlStateOf(error) ?? 'a database error'}`,
    };
  }

  /** A statement of a request committed: what failed before no longer does. */
  cleared(): void {
    this.lastFault = undefined;
  }

  /** Why the database is failing the requests, if it is. */
  current(): string | undefined {
    if (this.lastFault !== undefined && Date.now() - this.lastFault.at > FAULT_WINDOW_MS) {
      this.lastFault = undefined;
    }
    return this.lastFault?.reason;
  }
}
