import { ApiProperty } from '@nestjs/swagger';
import { KvEventType } from '../../events/kv-event.types';
import type { Change } from '../../entries/store/history-reader.service';

/** One change of an entry at a revision: never its value. */
export class ChangeDto {
  @ApiProperty({ type: 'integer', format: 'int64', minimum: 1, example: 41 })
  revision: number;

  @ApiProperty({
    enum: [
      KvEventType.EntryCreated,
      KvEventType.EntryUpdated,
      KvEventType.EntryDeleted,
      KvEventType.EntryExpired,
      KvEventType.EntryRotated,
      KvEventType.EntryRolledBack,
      KvEventType.EntryRestored,
    ],
    description: 'As the change event’s type',
    example: KvEventType.EntryUpdated,
  })
  type: string;

  @ApiProperty({ example: 'config/database/host' })
  keyPath: string;

  @ApiProperty({ format: 'uuid' })
  entryId: string;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: 'The version written, or the one deleted or expired',
    example: 3,
  })
  version: number;

  @ApiProperty({ format: 'date-time' })
  occurredAt: string;

  @ApiProperty({ description: "The token's sub, or the service's for an expiry", example: 'alice' })
  actor: string;

  static from(change: Change): ChangeDto {
    return {
      revision: change.revision,
      type: change.type,
      keyPath: change.keyPath,
      entryId: change.entryId,
      version: change.version,
      occurredAt: change.occurredAt.toISOString(),
      actor: change.actor,
    };
  }
}
