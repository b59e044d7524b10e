import { CreateNamespaces1763830000000 } from './1763830000000-create-namespaces';
import { CreateAuditLog1763840000000 } from './1763840000000-create-audit-log';
import { CreateEntries1763850000000 } from './1763850000000-create-entries';
import { SecretNamespaces1763860000000 } from './1763860000000-secret-namespaces';
import { CreateEventOutbox1763870000000 } from './1763870000000-create-event-outbox';
import { PackBulkAuditRows1764600000000 } from './1764600000000-pack-bulk-audit-rows';
import { OutboxChangeFeed1764600000001 } from './1764600000001-outbox-change-feed';
import { EntriesFillfactor1764600000002 } from './1764600000002-entries-fillfactor';
import { EntryTombstones1764700000000 } from './1764700000000-entry-tombstones';
import { NamespaceMaxVersions1764800000000 } from './1764800000000-namespace-max-versions';
import { NamespaceRevisions1764900000000 } from './1764900000000-namespace-revisions';
import { PlainVersions1764900000001 } from './1764900000001-plain-versions';
import { SnapshotsAndRetention1765000000000 } from './1765000000000-snapshots-and-retention';

/** Every migration, oldest first; listed so the build and the tests need no file globs. */
export const MIGRATIONS = [
  CreateNamespaces1763830000000,
  CreateAuditLog1763840000000,
  CreateEntries1763850000000,
  SecretNamespaces1763860000000,
  CreateEventOutbox1763870000000,
  PackBulkAuditRows1764600000000,
  OutboxChangeFeed1764600000001,
  EntriesFillfactor1764600000002,
  EntryTombstones1764700000000,
  NamespaceMaxVersions1764800000000,
  NamespaceRevisions1764900000000,
  PlainVersions1764900000001,
  SnapshotsAndRetention1765000000000,
];
