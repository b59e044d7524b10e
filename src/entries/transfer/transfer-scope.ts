import { invalidField } from '../../common/errors/kv.exception';
import { keyPathProblem } from '../../common/validation/key-path';
import { prefixUpperBound } from '../model/prefix-range';

/** The keys a transfer covers: those under a key path (`config/…`), or all of the namespace. */
export interface TransferScope {
  /** What the document's keys are written below: `config/`, or '' for the whole namespace. */
  keyPrefix: string;
  from: string;
  before?: string;
}

/** The scope of a `prefix` parameter: a key path, with or without its trailing `/`. */
export function transferScope(prefix: string | undefined): TransferScope {
  const path = prefix?.endsWith('/') ? prefix.slice(0, -1) : prefix;
  if (path === undefined || path === '') {
    return { keyPrefix: '', from: '' };
  }
  const problem = keyPathProblem(path, false);
  if (problem !== undefined) {
    throw invalidField('prefix', problem);
  }
  const keyPrefix = `${path}/`;
  return { keyPrefix, from: keyPrefix, before: prefixUpperBound(keyPrefix) };
}
