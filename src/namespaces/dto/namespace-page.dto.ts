import { ApiProperty } from '@nestjs/swagger';
import { NamespaceDto } from './namespace.dto';

export class NamespacePageDto {
  @ApiProperty({ type: [NamespaceDto] })
  items: NamespaceDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as cursor for the next page; null on the last page',
  })
  nextCursor: string | null;
}
