import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { IsCleanText } from '../../common/validation/is-clean-text.decorator';
import { MAX_KEY_PATH_LENGTH } from '../../common/validation/key-path';

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
    description: 'Include values (needs kv-entry:read as well)',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean({ message: 'includeValues must be true or false' })
  includeValues?: boolean;
}
