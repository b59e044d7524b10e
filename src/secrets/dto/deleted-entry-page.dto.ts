import { ApiProperty } from '@nestjs/swagger';
import { DeletedEntryDto } from './deleted-entry.dto';

export class DeletedEntryPageDto {
  @ApiProperty({ type: [DeletedEntryDto], description: 'In byte order of key path' })
  items: DeletedEntryDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as cursor for the next page; null on the last page',
  })
  nextCursor: string | null;
}
