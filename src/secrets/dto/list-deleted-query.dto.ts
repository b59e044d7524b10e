import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { IsCleanText } from '../../common/validation/is-clean-text.decorator';
import { MAX_KEY_PATH_LENGTH } from '../../common/validation/key-path';

export class ListDeletedQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    // No example: Swagger UI would send it, and a list filtered by it looks empty.
    description: 'Only keys starting with this string, such as db/; %, _ and \\ are literal',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_KEY_PATH_LENGTH)
  @IsCleanText()
  prefix?: string;
}
