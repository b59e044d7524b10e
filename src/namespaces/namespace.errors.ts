import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException } from '../common/errors/kv.exception';

/** Deliberately the same for a namespace that is missing and one of another application. */
export function namespaceNotFound(id: string): KvException {
  return new KvException(ErrorCode.NAMESPACE_NOT_FOUND, `namespace ${id} does not exist`);
}
