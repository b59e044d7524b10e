import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { deserializeValue } from '../model/entry-value';
import { MAX_VERSION } from '../model/max-version';
import type { EntryEntity } from '../entry.entity';
import { ValueType } from '../model/value-type.enum';

export const VALUE_SCHEMA = {
  description:
    'The value in its JSON type: STRING a string, NUMBER a finite number, BOOLEAN a boolean, JSON an object or array, BINARY a standard base64 string',
  oneOf: [
    { type: 'string' },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'object' },
    { type: 'array', items: {} },
  ],
  example: 'localhost',
};

export class EntryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'config/database/host' })
  keyPath: string;

  @ApiPropertyOptional(VALUE_SCHEMA)
  value?: unknown;

  @ApiProperty({ enum: ValueType, enumName: 'ValueType', example: ValueType.STRING })
  valueType: ValueType;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: MAX_VERSION,
    description: 'Starts at 1, grows by one per change; also the ETag',
    example: 1,
  })
  version: number;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'null: never expires',
  })
  expiresAt: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { owner: 'team-a' },
  })
  metadata: Record<string, unknown> | null;

  @ApiProperty({
    type: 'integer',
    format: 'int64',
    minimum: 0,
    description:
      'The namespace revision that created this incarnation of the key (0: before revisions)',
    example: 12,
  })
  createRevision: number;

  @ApiProperty({
    type: 'integer',
    format: 'int64',
    minimum: 0,
    description: 'The namespace revision that last changed the entry (0: before revisions)',
    example: 40,
  })
  modRevision: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  /** The response form; the value only when asked for (lists without includeValues omit it). */
  static from(entity: EntryEntity, withValue: boolean): EntryDto {
    return {
      id: entity.id,
      keyPath: entity.keyPath,
      ...(withValue && entity.value !== null ? { value: deserializeValue(entity.value) } : {}),
      valueType: entity.valueType,
      version: entity.version,
      expiresAt: entity.expiresAt?.toISOString() ?? null,
      metadata:
        entity.metadata === null ? null : (JSON.parse(entity.metadata) as Record<string, unknown>),
      createRevision: entity.createRevision ?? 0,
      modRevision: entity.modRevision ?? 0,
      createdAt: entity.createdAt.toISOString(),
      updatedAt: entity.updatedAt.toISOString(),
    };
  }
}
