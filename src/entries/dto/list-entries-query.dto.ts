import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { IsCleanText } from '../../common/validation/is-clean-text.decorator';
import { MAX_KEY_PATH_LENGTH } from '../../common/validation/key-path';
import { IsAsOfRevision } from './as-of-revision.decorator';

export class ListEntriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    // No example: Swagger UI would send it, and a list filtered by it looks empty.
    description:
      'Only keys starting with this string, such as config/database/; %, _ and \\ are literal',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_KEY_PATH_LENGTH)
  @IsCleanText()
  prefix?: string;

  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description:
      'Include values (needs kv-entry:read as well). A page of values also stops once its values come to KV_MAX_PAGE_BYTES (4 MiB by default), before `limit`; `nextCursor` goes on from there',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean({ message: 'includeValues must be true or false' })
  includeValues?: boolean;

  @IsAsOfRevision()
  asOfRevision?: number;
}
