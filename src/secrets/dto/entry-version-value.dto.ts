import { ApiProperty } from '@nestjs/swagger';
import { VALUE_SCHEMA } from '../../entries/dto/entry.dto';
import { deserializeValue } from '../../entries/model/entry-value';
import type { ListedVersion } from '../../entries/store/version-reader.service';
import { EntryVersionDto } from './entry-version.dto';

/** One version of an entry with its value. */
export class EntryVersionValueDto extends EntryVersionDto {
  @ApiProperty(VALUE_SCHEMA)
  value: unknown;

  static of(version: ListedVersion, serialized: string): EntryVersionValueDto {
    return { ...EntryVersionDto.from(version), value: deserializeValue(serialized) };
  }
}
