import { ApiProperty } from '@nestjs/swagger';
import { EntryDto } from './entry.dto';

export class EntryPageDto {
  @ApiProperty({
    type: [EntryDto],
    description: 'In byte order of keyPath; values only with includeValues=true',
  })
  items: EntryDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as cursor for the next page; null on the last page',
  })
  nextCursor: string | null;
}
