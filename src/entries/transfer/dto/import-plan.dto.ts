import { ApiProperty } from '@nestjs/swagger';

export class PlannedKeyDto {
  @ApiProperty({ example: 'config/DATABASE_HOST' })
  key: string;

  @ApiProperty({
    type: 'integer',
    description: 'The version the import gives the key, leaves it at, or deletes',
    example: 1,
  })
  version: number;
}

export class UpdatedKeyDto extends PlannedKeyDto {
  @ApiProperty({ type: 'integer', description: 'The version it replaces', example: 3 })
  previousVersion: number;
}

/** What an import changed, or (dry run) would change; keys and versions, never values. */
export class ImportPlanDto {
  @ApiProperty({ description: 'Whether this was a dry run: nothing was changed', example: false })
  dryRun: boolean;

  @ApiProperty({
    type: 'integer',
    format: 'int64',
    minimum: 0,
    description:
      "The namespace's revision after the import (unchanged if it changed nothing); for a dry run, the revision it planned from",
    example: 42,
  })
  revision: number;

  @ApiProperty({ type: [PlannedKeyDto], description: 'Keys with no live entry before' })
  created: PlannedKeyDto[];

  @ApiProperty({ type: [UpdatedKeyDto], description: 'Keys whose type or value changes' })
  updated: UpdatedKeyDto[];

  @ApiProperty({
    type: [PlannedKeyDto],
    description: 'Keys already holding this type and value: left as they are',
  })
  unchanged: PlannedKeyDto[];

  @ApiProperty({
    type: [PlannedKeyDto],
    description: 'With prune: live keys the document does not name',
  })
  deleted: PlannedKeyDto[];
}
