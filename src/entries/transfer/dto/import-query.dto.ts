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
}
