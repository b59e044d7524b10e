import { ApiProperty } from '@nestjs/swagger';
import { SnapshotDto } from './snapshot.dto';

export class SnapshotPageDto {
  @ApiProperty({ type: [SnapshotDto], description: 'In byte order of name' })
  items: SnapshotDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'null on the last page',
    example: null,
  })
  nextCursor: string | null;
}
