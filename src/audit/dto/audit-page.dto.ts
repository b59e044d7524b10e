import { ApiProperty } from '@nestjs/swagger';
import { AuditLogDto } from './audit-log.dto';

export class AuditPageDto {
  @ApiProperty({ type: [AuditLogDto], description: 'Newest first' })
  items: AuditLogDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as cursor for the next page; null on the last page',
  })
  nextCursor: string | null;
}
