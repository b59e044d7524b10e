import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { FieldError, KvException } from '../../common/errors/kv.exception';
import { outlineFreeForm, restoreFreeForm } from '../../common/validation/free-form-json';
import { isCleanText } from '../../common/validation/is-clean-text.decorator';
import { keyPathProblem } from '../../common/validation/key-path';
import { BulkSetItemDto } from './dto/bulk.dto';
import { serializeMetadata } from '../model/entry-metadata';
import { serializeValue } from '../model/entry-value';
import type { BulkWriteItem } from '../store/bulk-entry-writer.service';

function keyOf(item: unknown): string | undefined {
  const key = (item as { key?: unknown } | null)?.key;
  return typeof key === 'string' && isCleanText(key) ? key : undefined;
}

/** Keys a batch names, as far as they can be recorded: for the audit rows of a rejected batch. */
export function nameableKeys(items: unknown[]): string[] {
  return items.map(keyOf).filter((key): key is string => key !== undefined);
}

function reject(errors: FieldError[], what: string): never {
  // A batch whose only faults are sizes is "too large"; anything else is invalid input.
  const onlySizes = errors.every(
    (e) => e.message.startsWith('must be at most') && e.field === 'value',
  );
  const code = onlySizes ? ErrorCode.VALUE_TOO_LARGE : ErrorCode.VALIDATION_FAILED;
  throw new KvException(
    code,
    `${errors.length} problem(s) in ${what}; nothing was written`,
    errors,
  );
}

/** Rejects a key list with a bad or repeated key, naming each by index. */
export function checkKeys(keys: string[], forWrite: boolean): void {
  const errors: FieldError[] = [];
  const seen = new Map<string, number>();
  keys.forEach((key, index) => {
    const problem = keyPathProblem(key, forWrite);
    if (problem !== undefined) {
      errors.push({ index, key: keyOf({ key }), field: 'key', message: problem });
    } else if (seen.has(key)) {
      errors.push({
        index,
        key,
        field: 'key',
        message: `repeats the key of item ${seen.get(key)}`,
      });
    }
    seen.set(key, seen.get(key) ?? index);
  });
  if (errors.length > 0) {
    reject(errors, 'keys');
  }
}

/** Validates every item with the rules of a single set, and all of them before any is written. */
export function prepareItems(
  items: Record<string, unknown>[],
  maxValueBytes: number,
): BulkWriteItem[] {
  const errors: FieldError[] = [];
  const prepared: BulkWriteItem[] = [];
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const key = keyOf(item);
    const dto = restoreFreeForm(
      BulkSetItemDto,
      item,
      plainToInstance(BulkSetItemDto, outlineFreeForm(BulkSetItemDto, item)),
    );
    const problems = validateSync(dto, {
      whitelist: true,
      forbidNonWhitelisted: true,
      validationError: { target: false, value: false },
    });
    const itemErrors: FieldError[] = problems.flatMap((problem) =>
      Object.values(problem.constraints ?? {}).map((message) => ({
        index,
        key,
        field: problem.property,
        message,
      })),
    );
    if (itemErrors.length === 0) {
      try {
        prepared.push({
          key: dto.key,
          valueType: dto.valueType,
          serialized: serializeValue(dto.value, dto.valueType, maxValueBytes),
          metadata: serializeMetadata(dto.metadata),
          ttlSeconds: dto.ttlSeconds,
          expectedVersion: dto.expectedVersion,
        });
      } catch (error) {
        if (!(error instanceof KvException)) {
          throw error;
        }
        itemErrors.push(...(error.errors ?? []).map((e) => ({ ...e, index, key })));
      }
      if (seen.has(dto.key)) {
        itemErrors.push({
          index,
          key,
          field: 'key',
          message: `repeats the key of item ${seen.get(dto.key)}`,
        });
      }
      seen.set(dto.key, seen.get(dto.key) ?? index);
    }
    errors.push(...itemErrors);
  });
  if (errors.length > 0) {
    reject(errors, 'entries');
  }
  return prepared;
}
