import { Injectable } from '@nestjs/common';
import { DataKeysService } from './data-keys.service';

/** What readiness reports as `details.crypto`. */
export type SealStatus =
  | { status: 'up' }
  | {
      status: 'sealed';
      /** Master key ids that wrap data keys but are not in KV_MASTER_KEY(S). */
      missingMasterKeyIds: string[];
      /** Ids in KV_MASTER_KEY(S) whose key does not open the data keys wrapped under them. */
      mismatchedMasterKeyIds: string[];
      /** Data keys that do not open although others of their master key do. */
      damagedDataKeys: number;
    };

/**
 * Sealed by this process's keys: a master key missing or not the one the data keys were wrapped
 * with. Damaged data keys are the same for every replica, so they are reported but leave a
 * replica ready: taking them all out of traffic would help no one.
 */
export function keysSealed(status: SealStatus): boolean {
  return (
    status.status === 'sealed' &&
    (status.missingMasterKeyIds.length > 0 || status.mismatchedMasterKeyIds.length > 0)
  );
}

// Readiness is polled every few seconds; the data keys change only through rewrap and new
// namespaces (wrapped by a key this process holds), so a result this old is still the answer.
const RECHECK_AFTER_MS = 30_000;

/**
 * Whether every data key in use opens with the master keys of this process, for readiness:
 * probed at most every 30 s, and again as soon as a data key failed to open for a request.
 */
@Injectable()
export class SealStatusService {
  private last?: { at: number; failures: number; status: SealStatus };
  private running?: Promise<SealStatus>;

  constructor(private readonly dataKeys: DataKeysService) {}

  status(): Promise<SealStatus> {
    const last = this.last;
    if (
      last !== undefined &&
      Date.now() - last.at < RECHECK_AFTER_MS &&
      last.failures === this.dataKeys.openFailures
    ) {
      return Promise.resolve(last.status);
    }
    this.running ??= this.check().finally(() => (this.running = undefined));
    return this.running;
  }

  private async check(): Promise<SealStatus> {
    const failures = this.dataKeys.openFailures;
    const { missing, mismatched, damaged } = await this.dataKeys.probe();
    const status: SealStatus =
      missing.length === 0 && mismatched.length === 0 && damaged === 0
        ? { status: 'up' }
        : {
            status: 'sealed',
            missingMasterKeyIds: missing,
            mismatchedMasterKeyIds: mismatched,
            damagedDataKeys: damaged,
          };
    this.last = { at: Date.now(), failures, status };
    return status;
  }
}
