import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsEnum,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Max,
  Min,
} from 'class-validator';
import { IsKeyPath } from '../../common/validation/key-path';
import { MAX_TTL_SECONDS } from '../../namespaces/namespace-rules';
import { ValueType } from '../value-type.enum';
import { EntryDto, VALUE_SCHEMA } from './entry.dto';
import { MAX_VERSION } from './set-entry.dto';

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
  @IsString({ each: true })
  keys: string[];
}

/** One entry of a bulk set; validated item by item so that errors name the index and key. */
export class BulkSetItemDto {
  @ApiProperty({ example: 'config/database/host' })
  @IsKeyPath(true)
  key: string;

  @ApiProperty(VALUE_SCHEMA)
  @IsDefined({ message: 'value is required' })
  value: unknown;

  @ApiProperty({ enum: ValueType, enumName: 'ValueType' })
  @IsEnum(ValueType)
  valueType: ValueType;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    maximum: MAX_TTL_SECONDS,
    description: "Omitted: the namespace's defaultTtlSeconds; null: never expires",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_TTL_SECONDS)
  ttlSeconds?: number | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown> | null;

  @ApiPropertyOptional({
    minimum: 0,
    description:
      'Write this item only at this version (0: only if absent); any mismatch fails the whole call with 409',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_VERSION)
  expectedVersion?: number;
}

export class BulkSetDto {
  @ApiProperty({ type: [BulkSetItemDto], maxItems: MAX_BULK_KEYS })
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
