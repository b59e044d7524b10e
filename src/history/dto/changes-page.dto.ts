import { ApiProperty } from '@nestjs/swagger';
import { ChangeDto } from './change.dto';

export class ChangesPageDto {
  @ApiProperty({ type: [ChangeDto], description: 'In revision order, whole revisions' })
  items: ChangeDto[];

  @ApiProperty({
    type: 'integer',
    format: 'int64',
    minimum: 0,
    description:
      'Every change up to this revision has been answered: pass it as sinceRevision next',
    example: 41,
  })
  revision: number;
}
