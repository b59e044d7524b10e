import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsCleanText } from '../../../common/validation/is-clean-text.decorator';
import { MAX_DESCRIPTION_LENGTH } from '../../../namespaces/namespace-rules';
import { SNAPSHOT_NAME } from '../snapshot-rules';

export class CreateSnapshotDto {
  @ApiProperty({
    description: 'Unique within the namespace, and never reused: snapshots are immutable',
    pattern: SNAPSHOT_NAME.source,
    example: 'before-migration',
  })
  @IsString()
  @Matches(SNAPSHOT_NAME, { message: `name must match ${SNAPSHOT_NAME.source}` })
  name: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: MAX_DESCRIPTION_LENGTH,
    example: 'Configuration as it was before the schema migration',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_DESCRIPTION_LENGTH)
  @IsCleanText()
  description?: string | null;
}
