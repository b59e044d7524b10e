import { ApiProperty } from '@nestjs/swagger';
import { PlannedKeyDto, UpdatedKeyDto } from '../../transfer/dto/import-plan.dto';

/** What a restore changed, or (dry run) would change; keys and versions, never values. */
export class RestorePlanDto {
  @ApiProperty({ description: 'Whether this was a dry run: nothing was changed', example: false })
  dryRun: boolean;

  @ApiProperty({
    type: 'integer',
    format: 'int64',
    description: 'The revision whose state was restored (a snapshot’s: the one it pins)',
    example: 42,
  })
  fromRevision: number;

  @ApiProperty({
    type: 'integer',
    format: 'int64',
    description:
      "The namespace's revision after: the one the restore made, or (dry run, or nothing to change) the current one",
    example: 58,
  })
  revision: number;

  @ApiProperty({
    type: [PlannedKeyDto],
    description: 'Keys alive then and not now: written again, at this version',
  })
  created: PlannedKeyDto[];

  @ApiProperty({
    type: [UpdatedKeyDto],
    description: 'Keys whose type or value differs from then: written with the old value',
  })
  updated: UpdatedKeyDto[];

  @ApiProperty({
    type: [PlannedKeyDto],
    description: 'Keys holding the type and value they held then: left as they are',
  })
  unchanged: PlannedKeyDto[];

  @ApiProperty({
    type: [PlannedKeyDto],
    description: 'Keys alive now and not then: deleted (the version deleted)',
  })
  deleted: PlannedKeyDto[];
}
