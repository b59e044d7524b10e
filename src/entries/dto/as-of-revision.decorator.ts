import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** The optional `asOfRevision` query parameter of reads: answer as that revision left things. */
export function IsAsOfRevision(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      format: 'int64',
      minimum: 0,
      description:
        'Answer as the namespace was at this revision (values from its history; metadata and expiry are not kept, so null). Older than the history kept: 410 REVISION_COMPACTED; ahead of the namespace: 400',
    }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(0),
    Max(Number.MAX_SAFE_INTEGER),
  );
}
