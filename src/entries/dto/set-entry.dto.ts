import type { ValueType } from '../model/value-type.enum';
import {
  EntryValue,
  EntryValueType,
  ExpectedVersion,
  Metadata,
  TtlSeconds,
} from './entry-field.decorators';

export class SetEntryDto {
  @EntryValue()
  value: unknown;

  @EntryValueType(true)
  valueType: ValueType;

  @TtlSeconds()
  ttlSeconds?: number | null;

  @Metadata()
  metadata?: Record<string, unknown> | null;

  @ExpectedVersion(
    'Write only if the current version is this (0: only if the entry is absent); else 409 VERSION_CONFLICT',
  )
  expectedVersion?: number;
}
