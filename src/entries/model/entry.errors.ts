import { ErrorCode } from '../../common/errors/error-code.enum';
import { KvException } from '../../common/errors/kv.exception';

export function entryNotFound(key: string): KvException {
  return new KvException(ErrorCode.ENTRY_NOT_FOUND, `no entry ${key} in this namespace`);
}
