import type { FastifyRequest } from 'fastify';
import { isCleanText } from '../common/validation/is-clean-text.decorator';
import { MAX_KEY_PATH_LENGTH } from '../common/validation/key-path';
import { AuditContext } from './audit-context';
import type { AuditedRoute } from './audited.decorator';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TRUNCATED = '…';

/**
 * A key path as its audit row stores it: whatever the URL named, if it can be stored (an
 * invalid key is still worth recording), but no longer than the longest valid key, so that a
 * flood of long invalid paths cannot fill the table: past it, its first 511 characters and "…".
 */
export function auditedKeyPath(keyPath: string | undefined): string | null {
  if (keyPath === undefined || !isCleanText(keyPath)) {
    return null;
  }
  if (keyPath.length <= MAX_KEY_PATH_LENGTH) {
    return keyPath;
  }
  // Counted in code points, as key paths are, and never cut inside a surrogate pair.
  let count = 0;
  let index = 0;
  let cut = 0;
  for (const char of keyPath) {
    if (count === MAX_KEY_PATH_LENGTH - 1) {
      cut = index;
    }
    count += 1;
    index += char.length;
    if (count > MAX_KEY_PATH_LENGTH) {
      return `${keyPath.slice(0, cut)}${TRUNCATED}`;
    }
  }
  return keyPath;
}

/**
 * Opens the audit context of a request of an audited route, from what its URL names and its
 * caller (a token's subject, once verified).
 */
export function openAuditContext(
  route: AuditedRoute,
  request: FastifyRequest,
  successStatus: number,
): AuditContext {
  const params = request.params as Record<string, string | undefined>;
  const namespaceId = route.namespaceParam ? params[route.namespaceParam] : undefined;
  const keyPath = route.keyParam ? params[route.keyParam] : undefined;
  request.auditContext = new AuditContext(
    route.action,
    request.id,
    namespaceId !== undefined && UUID.test(namespaceId) ? namespaceId : null,
    auditedKeyPath(keyPath),
    request.principal?.sub ?? null,
    successStatus,
  );
  return request.auditContext;
}
