import { ApiProperty } from '@nestjs/swagger';
import type { SnapshotEntity } from '../snapshot.entity';

export class SnapshotDto {
  @ApiProperty({ example: 'before-migration' })
  name: string;

  @ApiProperty({
    type: 'integer',
    format: 'int64',
    minimum: 0,
    description: 'The revision pinned: read it with asOfRevision, restore it with restore',
    example: 42,
  })
  revision: number;

  @ApiProperty({ type: String, nullable: true, example: 'Before the schema migration' })
  description: string | null;

  @ApiProperty({ description: "The token's sub that made it", example: 'user-1' })
  createdBy: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-05T12:00:00.000Z' })
  createdAt: string;

  static from(entity: SnapshotEntity): SnapshotDto {
    return {
      name: entity.name,
      revision: Number(entity.revision),
      description: entity.description,
      createdBy: entity.createdBy,
      createdAt: entity.createdAt.toISOString(),
    };
  }
}
