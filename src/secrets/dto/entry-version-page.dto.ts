import { ApiProperty } from '@nestjs/swagger';
import { EntryVersionDto } from './entry-version.dto';

export class EntryVersionPageDto {
  @ApiProperty({ type: [EntryVersionDto], description: 'Newest first' })
  items: EntryVersionDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as cursor for the next page; null on the last page',
  })
  nextCursor: string | null;
}
