import { IsAsOfRevision } from './as-of-revision.decorator';

export class GetEntryQueryDto {
  @IsAsOfRevision()
  asOfRevision?: number;
}
