import { ApiProperty } from '@nestjs/swagger';
import { MAX_VERSION } from '../../entries/model/max-version';

/** A deleted or expired secret entry that can still be restored: its key, never a value. */
export class DeletedEntryDto {
  @ApiProperty({ example: 'db/password' })
  keyPath: string;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: MAX_VERSION,
    example: 3,
    description: 'Its last version; a restore brings that value back as the next one',
  })
  version: number;

  @ApiProperty({ format: 'date-time', description: 'When it was deleted or expired' })
  deletedAt: string;

  @ApiProperty({
    format: 'date-time',
    description: 'Until then it can be restored; then its versions are purged',
  })
  recoverableUntil: string;

  static from(row: {
    key_path: string;
    version: number;
    deleted_at: Date;
    recoverable_until: Date;
  }): DeletedEntryDto {
    return {
      keyPath: row.key_path,
      version: row.version,
      deletedAt: row.deleted_at.toISOString(),
      recoverableUntil: row.recoverable_until.toISOString(),
    };
  }
}
