import { invalidField } from '../../common/errors/kv.exception';
import { keyPathProblem } from '../../common/validation/key-path';

/** Validates a key path from the URL; 400 naming `key` otherwise. */
export function checkKey(key: string, forWrite: boolean): string {
  const problem = keyPathProblem(key, forWrite);
  if (problem !== undefined) {
    throw invalidField('key', problem);
  }
  return key;
}
