import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { TransferFormat } from '../transfer-format.enum';
import { DocumentFormat, DocumentPrefix, QueryFlag } from './transfer-query.decorators';

export class ImportQueryDto {
  @DocumentFormat()
  format: TransferFormat = TransferFormat.DOTENV;

  @DocumentPrefix('Store the keys of the document under this key path (config: config/NAME)')
  prefix?: string;

  @QueryFlag(
    'prune',
    'Also delete the live keys under the prefix (or of the namespace, without one) that the document does not name; needs kv-entry:delete',
  )
  prune = false;

  @QueryFlag('dryRun', 'Answer the plan and change nothing')
  dryRun = false;

  @ApiPropertyOptional({
    type: 'integer',
    format: 'int64',
    minimum: 0,
    description:
      "Write only if the namespace is at this revision when the import writes (checked inside its transaction): otherwise 409 REVISION_CONFLICT, nothing written, the problem's `revision` the namespace's. A dry run checks it too",
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  expectedRevision?: number;
}
