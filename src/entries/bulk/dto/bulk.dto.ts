import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsObject } from 'class-validator';
import { IsStringArray } from '../../../common/validation/is-string-array.decorator';
import { FreeFormJson } from '../../../common/validation/free-form-json';
import { IsKeyPath } from '../../../common/validation/key-path';
import type { ValueType } from '../../model/value-type.enum';
import {
  EntryValue,
  EntryValueType,
  ExpectedVersion,
  Metadata,
  TtlSeconds,
} from '../../dto/entry-field.decorators';
import { EntryDto } from '../../dto/entry.dto';

export const MAX_BULK_KEYS = 1000;

export class BulkKeysDto {
  @ApiProperty({
    type: [String],
    maxItems: MAX_BULK_KEYS,
    description: 'Distinct key paths',
    example: ['config/database/host', 'config/database/port'],
  })
  @IsArray()
  @ArrayMaxSize(MAX_BULK_KEYS, { message: `keys may hold at most ${MAX_BULK_KEYS} keys per call` })
  @IsStringArray()
  keys: string[];
}

/** One entry of a bulk set; validated item by item so that errors name the index and key. */
export class BulkSetItemDto {
  @ApiProperty({ example: 'config/database/host' })
  @IsKeyPath(true)
  key: string;

  @EntryValue()
  value: unknown;

  @EntryValueType(true)
  valueType: ValueType;

  @TtlSeconds()
  ttlSeconds?: number | null;

  @Metadata()
  metadata?: Record<string, unknown> | null;

  @ExpectedVersion(
    'Write this item only at this version (0: only if absent); any mismatch fails the whole call with 409',
  )
  expectedVersion?: number;
}

export class BulkSetDto {
  @ApiProperty({ type: [BulkSetItemDto], maxItems: MAX_BULK_KEYS })
  // Validated item by item by the bulk service, which keeps each value as sent.
  @FreeFormJson()
  @IsArray()
  @ArrayMaxSize(MAX_BULK_KEYS, {
    message: `entries may hold at most ${MAX_BULK_KEYS} entries per call`,
  })
  @IsObject({ each: true, message: 'each of entries must be an object' })
  entries: Record<string, unknown>[];
}

export class BulkGetResultDto {
  @ApiProperty({
    type: [EntryDto],
    description: 'The entries found, with values, in the order asked',
  })
  items: EntryDto[];

  @ApiProperty({ type: [String], description: 'Keys with no live entry' })
  missing: string[];
}

export class BulkSetResultDto {
  @ApiProperty({ type: [EntryDto], description: 'The entries as written, in the order given' })
  items: EntryDto[];
}

export class BulkDeleteResultDto {
  @ApiProperty({ type: [String] })
  deleted: string[];

  @ApiProperty({ type: [String], description: 'Keys with no live entry' })
  missing: string[];
}
