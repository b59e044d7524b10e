import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsEnum, IsInt, IsObject, IsOptional, Max, Min } from 'class-validator';
import { FreeFormJson } from '../../common/validation/free-form-json';
import { MAX_TTL_SECONDS } from '../../namespaces/namespace-rules';
import { MAX_VERSION } from '../model/max-version';
import { ValueType } from '../model/value-type.enum';
import { VALUE_SCHEMA } from './entry.dto';

/** A value of any JSON type; its match with valueType is checked by the service. */
export const EntryValue = (): PropertyDecorator =>
  applyDecorators(
    ApiProperty(VALUE_SCHEMA),
    FreeFormJson(),
    IsDefined({ message: 'value is required' }),
  );

export const EntryValueType = (required: boolean, description?: string): PropertyDecorator => {
  const doc = { enum: ValueType, enumName: 'ValueType', example: ValueType.STRING, description };
  return applyDecorators(
    required ? ApiProperty(doc) : ApiPropertyOptional(doc),
    ...(required ? [] : [IsOptional()]),
    IsEnum(ValueType),
  );
};

export const TtlSeconds = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      nullable: true,
      minimum: 1,
      maximum: MAX_TTL_SECONDS,
      description:
        "Seconds to live. Omitted: the namespace's defaultTtlSeconds; null: never expires",
      example: 3600,
    }),
    IsOptional(),
    IsInt(),
    Min(1),
    Max(MAX_TTL_SECONDS),
  );

export const Metadata = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({
      type: 'object',
      additionalProperties: true,
      nullable: true,
      description: 'A JSON object kept with the entry',
      example: { owner: 'team-a' },
    }),
    FreeFormJson(),
    IsOptional(),
    IsObject(),
  );

/** Optimistic locking in the body: the operation applies only at this version, else 409. */
export const ExpectedVersion = (description: string): PropertyDecorator =>
  applyDecorators(
    // No example: Swagger UI would send it, and any version but the current one is a 409.
    ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_VERSION, description }),
    IsOptional(),
    IsInt(),
    Min(0),
    Max(MAX_VERSION),
  );
