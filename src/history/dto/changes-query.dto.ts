import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class ChangesQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    format: 'int64',
    minimum: 0,
    description:
      'Answer the changes after this revision; default: the current one (only what comes next). A stream resumes from Last-Event-ID instead, when sent.',
    example: 0,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  sinceRevision?: number;

  @ApiPropertyOptional({
    description: 'Only changes of keys that start with this string',
    example: 'config/',
    default: '',
  })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  prefix?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 1000,
    default: 100,
    description:
      'About this many changes per answer: a revision is never split, so its last one may bring more',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit = 100;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 60,
    default: 0,
    description: 'With no change after sinceRevision, wait up to this long for one (long-poll)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60)
  waitSeconds = 0;
}
