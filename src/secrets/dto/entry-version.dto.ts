import { ApiProperty } from '@nestjs/swagger';
import { MAX_VERSION } from '../../entries/model/max-version';
import { ValueType } from '../../entries/model/value-type.enum';
import { ChangeReason } from '../../entries/store/change-reason.enum';
import type { ListedVersion } from '../../entries/store/version-reader.service';

/** One version of a secret entry: never its value. */
export class EntryVersionDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_VERSION, example: 3 })
  version: number;

  @ApiProperty({ enum: ValueType, enumName: 'ValueType', example: ValueType.STRING })
  valueType: ValueType;

  @ApiProperty({ enum: ChangeReason, enumName: 'ChangeReason', example: ChangeReason.ROTATION })
  changeReason: ChangeReason;

  @ApiProperty({ description: "The token's sub of whoever made the change", example: 'alice' })
  changedBy: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  static from(entity: ListedVersion): EntryVersionDto {
    return {
      version: entity.version,
      valueType: entity.valueType,
      changeReason: entity.changeReason,
      changedBy: entity.changedBy,
      createdAt: entity.createdAt.toISOString(),
    };
  }
}
