import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { IsCleanText } from '../../common/validation/is-clean-text.decorator';
import {
  APPLICATION_ID,
  MAX_DESCRIPTION_LENGTH,
  MAX_HISTORY_RETENTION_DAYS,
  MAX_KEPT_VERSIONS,
  MAX_TTL_SECONDS,
  NAMESPACE_NAME,
} from '../namespace-rules';

/** Skips validation only when the field is absent: unlike @IsOptional, null is still checked. */
const IfPresent = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

export function NamespaceName(required: boolean): PropertyDecorator {
  const doc = {
    description: 'Unique within the application',
    pattern: NAMESPACE_NAME.source,
    example: 'production-secrets',
  };
  return applyDecorators(
    required ? ApiProperty(doc) : ApiPropertyOptional(doc),
    ...(required ? [] : [IfPresent()]),
    IsString(),
    Matches(NAMESPACE_NAME, { message: `name must match ${NAMESPACE_NAME.source}` }),
  );
}

export function ApplicationId(required: boolean, description: string): PropertyDecorator {
  const doc = { description, pattern: APPLICATION_ID.source, example: 'app-123' };
  return applyDecorators(
    required ? ApiProperty(doc) : ApiPropertyOptional(doc),
    ...(required ? [] : [IfPresent()]),
    IsString(),
    Matches(APPLICATION_ID, { message: `applicationId must match ${APPLICATION_ID.source}` }),
  );
}

export function Description(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: String,
      nullable: true,
      maxLength: MAX_DESCRIPTION_LENGTH,
      example: 'Production environment secrets',
    }),
    IsOptional(),
    IsString(),
    MaxLength(MAX_DESCRIPTION_LENGTH),
    IsCleanText(),
  );
}

export function IsSecretNamespace(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description, example: false }),
    IfPresent(),
    IsBoolean(),
  );
}

export function DefaultTtlSeconds(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      nullable: true,
      minimum: 1,
      maximum: MAX_TTL_SECONDS,
      description: 'TTL for entries set without ttlSeconds; null: they never expire',
      example: 3600,
    }),
    IsOptional(),
    IsInt(),
    Min(1),
    Max(MAX_TTL_SECONDS),
  );
}

export function MaxVersions(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      nullable: true,
      minimum: 1,
      maximum: MAX_KEPT_VERSIONS,
      description:
        'Versions kept of each secret key, the newest (older ones are deleted as new ones are written; the current one always stays); null: every version. Default null',
      example: 10,
    }),
    IsOptional(),
    IsInt(),
    Min(1),
    Max(MAX_KEPT_VERSIONS),
  );
}

export function HistoryRetentionDays(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      nullable: true,
      minimum: 1,
      maximum: MAX_HISTORY_RETENTION_DAYS,
      description:
        'Days the history (past versions, the watch feed, as-of reads) is kept; current versions and what snapshots pin are kept regardless. null: the service default KV_HISTORY_RETENTION_DAYS. Default null',
      example: 30,
    }),
    IsOptional(),
    IsInt(),
    Min(1),
    Max(MAX_HISTORY_RETENTION_DAYS),
  );
}
