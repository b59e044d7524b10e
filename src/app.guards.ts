import type { Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditGuard } from './audit/audit.guard';
import type { KvConfig } from './config/kv-config.types';
import { PermissionsGuard } from './permissions/permissions.guard';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';

/**
 * The global guards, in the order they run (Nest runs global guards in the order they are
 * provided): the audit context opens first, so every refusal after it is audited; the
 * permissions guard refuses what the token does not allow; the rate limit counts only the
 * callers the permissions guard let through.
 */
export function appGuards(config: KvConfig): Provider[] {
  return [
    { provide: APP_GUARD, useClass: AuditGuard },
    { provide: APP_GUARD, useClass: PermissionsGuard },
    ...(config.rateLimit.perSecond === 0 ? [] : [{ provide: APP_GUARD, useClass: RateLimitGuard }]),
  ];
}
