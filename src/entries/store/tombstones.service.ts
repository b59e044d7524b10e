import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { KvConfig } from '../../config/kv-config.types';
import { KvEvent, KvEventType, SYSTEM_ACTOR, entryEvent } from '../../events/kv-event.types';

/** An entry row that a deletion or expiry turned into a tombstone. */
export interface BuriedRow {
  id: string;
  key_path: string;
  version: number;
}

/**
 * Deleting or expiring an entry turns its row into a tombstone (see the migration
 * EntryTombstones): the row keeps its id and version, so the key's next write continues after
 * it; in a secret namespace it keeps its versions and metadata for KV_SECRET_RECOVERY_DAYS
 * (restorable, listed under /deleted), and with no window its versions go in the same
 * statement. The statements are in entry.sql.ts; this class holds the window and the events,
 * so every path that deletes does it alike.
 */
@Injectable()
export class Tombstones {
  readonly recoveryDays: number;

  constructor(config: ConfigService<KvConfig, true>) {
    this.recoveryDays = config.get('recovery.secretRecoveryDays', { infer: true });
  }

  /**
   * The events of buried rows: `type` (deleted or expired) for each, and kv.entry.purged for
   * those of a secret namespace when their history went with them.
   */
  events(
    type: KvEventType.EntryDeleted | KvEventType.EntryExpired,
    namespace: { id: string; applicationId: string; isSecretNamespace: boolean },
    rows: BuriedRow[],
    actor: string,
  ): KvEvent[] {
    return rows.flatMap((row) => {
      const entry = { id: row.id, keyPath: row.key_path, version: row.version };
      const removed = entryEvent(type, namespace, entry, actor);
      return namespace.isSecretNamespace && this.recoveryDays === 0
        ? [removed, entryEvent(KvEventType.EntryPurged, namespace, entry, SYSTEM_ACTOR)]
        : [removed];
    });
  }
}
