import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEnum,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { IsCleanText } from '../../common/validation/is-clean-text.decorator';
import { AuditAction } from '../audit-action.enum';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Rows of this namespace, also after its deletion',
  })
  @IsOptional()
  @IsUUID()
  namespaceId?: string;

  @ApiPropertyOptional({
    // No example on filters: Swagger UI would send them, and a filtered page looks empty.
    description: 'Rows of exactly this key path, such as config/database/host',
  })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  @IsCleanText()
  keyPath?: string;

  @ApiPropertyOptional({ enum: AuditAction, enumName: 'AuditAction' })
  @IsOptional()
  @IsEnum(AuditAction)
  action?: AuditAction;

  @ApiPropertyOptional({ description: "Rows of this caller (the token's sub), such as alice" })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  @IsCleanText()
  userId?: string;

  @ApiPropertyOptional({
    type: Boolean,
    description: 'Only successes (true) or only failures (false)',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean({ message: 'success must be true or false' })
  success?: boolean;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Rows at or after this instant (ISO-8601)',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Rows before this instant (ISO-8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}
