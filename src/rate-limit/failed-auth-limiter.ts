import { clientAddressKey } from './client-address';
import { TokenBuckets } from './token-buckets';

/**
 * A budget of failed authentications (401) and authorizations (403) per client address: within
 * it a failure is answered and audited as usual; past it, 429 RATE_LIMITED without an audit
 * row, so that a flood of bad tokens can neither fill the audit table nor make the service
 * spend a durable write per request on it. Valid tokens from the same address are not
 * affected. Per process, like the per-caller rate limit.
 */
export class FailedAuthLimiter {
  private readonly buckets?: TokenBuckets;
  /** Failures answered with their 401/403 (and audited), and those refused with 429. */
  readonly counts = { answered: 0, limited: 0 };

  /** `perSecond` 0: no budget, every failure is answered and audited. */
  constructor(perSecond: number, burst: number) {
    this.buckets = perSecond === 0 ? undefined : new TokenBuckets(perSecond, burst);
  }

  /** Spends one failure of the address's budget: 0 if there was one, else seconds to wait. */
  take(address: string): number {
    const retryAfter = this.buckets?.take(clientAddressKey(address)) ?? 0;
    if (retryAfter === 0) {
      this.counts.answered += 1;
    } else {
      this.counts.limited += 1;
    }
    return retryAfter;
  }
}
