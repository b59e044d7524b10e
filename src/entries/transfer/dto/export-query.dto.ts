import { IsAsOfRevision } from '../../dto/as-of-revision.decorator';
import { TransferFormat } from '../transfer-format.enum';
import { DocumentFormat, DocumentPrefix } from './transfer-query.decorators';

export class ExportQueryDto {
  @DocumentFormat()
  format: TransferFormat = TransferFormat.DOTENV;

  @DocumentPrefix(
    'Only keys under this key path (config or config/: the keys config/…), written without it',
  )
  prefix?: string;

  @IsAsOfRevision()
  asOfRevision?: number;
}
