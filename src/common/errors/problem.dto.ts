import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode } from './error-code.enum';

export class FieldErrorDto {
  @ApiProperty({ description: 'Body field, query or path parameter at fault', example: 'name' })
  field: string;

  @ApiProperty({
    description: 'What is wrong with it',
    example: 'must match [A-Za-z0-9][A-Za-z0-9._-]{0,127}',
  })
  message: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description: 'Index of the bulk item at fault',
    example: 3,
  })
  index?: number;

  @ApiPropertyOptional({ description: 'Key of the bulk item at fault', example: 'config/db/host' })
  key?: string;
}

/** RFC 9457 problem details, the body of every error response. */
export class ProblemDto {
  @ApiProperty({
    description: 'URI reference naming the problem type',
    example: 'urn:kv-service:problem:validation-failed',
  })
  type: string;

  @ApiProperty({ description: 'Short summary of the problem type', example: 'Validation failed' })
  title: string;

  @ApiProperty({
    type: 'integer',
    minimum: 400,
    maximum: 599,
    description: 'HTTP status code',
    example: 400,
  })
  status: number;

  @ApiProperty({
    description: 'What went wrong with this request',
    example: 'name must match [A-Za-z0-9][A-Za-z0-9._-]{0,127}',
  })
  detail: string;

  @ApiProperty({
    description: 'Stable machine-readable code',
    enum: ErrorCode,
    enumName: 'ErrorCode',
    example: ErrorCode.VALIDATION_FAILED,
  })
  code: ErrorCode;

  @ApiPropertyOptional({
    description: 'One item per field or bulk item at fault',
    type: [FieldErrorDto],
  })
  errors?: FieldErrorDto[];

  @ApiPropertyOptional({
    type: 'integer',
    format: 'int64',
    minimum: 0,
    description:
      'REVISION_COMPACTED: the oldest revision still readable, to resync from; REVISION_CONFLICT, and PRECONDITION_FAILED of an import: the namespace’s current revision',
    example: 40,
  })
  revision?: number;
}
