import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** `limit` and `cursor`, shared by every list. */
export class PageQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    description: 'Page size',
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    default: DEFAULT_PAGE_SIZE,
    example: 100,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional({
    // No example: only a nextCursor this list returned is a cursor.
    description: 'The nextCursor of the previous page; omit for the first page',
  })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor is not a cursor returned by this list' })
  cursor?: string;
}
