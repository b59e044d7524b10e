import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { SNAPSHOT_NAME } from '../snapshot-rules';

const REVISION = {
  type: 'integer',
  format: 'int64',
  minimum: 0,
  maximum: Number.MAX_SAFE_INTEGER,
} as const;

/** What to restore: exactly one of `revision` and `snapshot`. */
export class RestoreDto {
  @ApiPropertyOptional({
    ...REVISION,
    description: 'Restore the state this revision left (not with snapshot)',
    example: 42,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  revision?: number;

  @ApiPropertyOptional({
    description: 'Restore the revision this snapshot pins (not with revision)',
    pattern: SNAPSHOT_NAME.source,
    example: 'before-migration',
  })
  @IsOptional()
  @IsString()
  @Matches(SNAPSHOT_NAME, { message: `snapshot must match ${SNAPSHOT_NAME.source}` })
  snapshot?: string;

  @ApiPropertyOptional({
    description:
      'Restore only keys that start with this string (as the prefix of a list); keys outside it are left as they are',
    maxLength: 512,
    example: 'config/',
  })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  prefix?: string;

  @ApiPropertyOptional({
    ...REVISION,
    description:
      "Restore only if this is the namespace's revision when the restore commits; otherwise 409 REVISION_CONFLICT naming the current one",
    example: 57,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  expectedRevision?: number;

  @ApiPropertyOptional({
    description: 'Answer the plan and change nothing',
    default: false,
    example: false,
  })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}
