import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsEnum, IsInt, IsObject, IsOptional, Max, Min } from 'class-validator';
import { MAX_TTL_SECONDS } from '../../namespaces/namespace-rules';
import { ValueType } from '../value-type.enum';
import { VALUE_SCHEMA } from './entry.dto';

export const MAX_VERSION = 2_147_483_647;

export class SetEntryDto {
  @ApiProperty(VALUE_SCHEMA)
  @IsDefined({ message: 'value is required' })
  value: unknown;

  @ApiProperty({ enum: ValueType, enumName: 'ValueType', example: ValueType.STRING })
  @IsEnum(ValueType)
  valueType: ValueType;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    maximum: MAX_TTL_SECONDS,
    description: "Seconds to live. Omitted: the namespace's defaultTtlSeconds; null: never expires",
    example: 3600,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_TTL_SECONDS)
  ttlSeconds?: number | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'A JSON object kept with the entry',
    example: { owner: 'team-a' },
  })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown> | null;

  @ApiPropertyOptional({
    minimum: 0,
    description:
      'Write only if the current version is this (0: only if the entry is absent); else 409 VERSION_CONFLICT',
    example: 3,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_VERSION)
  expectedVersion?: number;
}
