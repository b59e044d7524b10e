import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { AuditAction } from './audit-action.enum';

/**
 * One operation on a namespace or entry, or one bulk call with a row per key (see
 * AuditRecord). No foreign keys: rows outlive what they describe. Never a value, never a token.
 */
@Entity({ name: 'audit_log' })
@Index('ix_audit_log_timestamp_id', ['timestamp', 'id'])
@Index('ix_audit_log_application_id_timestamp_id', ['applicationId', 'timestamp', 'id'])
@Index('ix_audit_log_namespace_id_timestamp_id', ['namespaceId', 'timestamp', 'id'])
export class AuditLogEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_audit_log' })
  id: string;

  @Column({ name: 'application_id', type: 'varchar', length: 128, collation: 'C', nullable: true })
  applicationId: string | null;

  @Column({ name: 'namespace_id', type: 'uuid', nullable: true })
  namespaceId: string | null;

  @Column({ name: 'entry_id', type: 'uuid', nullable: true })
  entryId: string | null;

  @Column({ name: 'key_path', type: 'text', collation: 'C', nullable: true })
  keyPath: string | null;

  @Column({ type: 'varchar', length: 32 })
  action: AuditAction;

  @Column({ name: 'user_id', type: 'varchar', length: 256, nullable: true })
  userId: string | null;

  @Column({ type: 'boolean' })
  success: boolean;

  @Column({ name: 'status_code', type: 'smallint' })
  statusCode: number;

  @Column({ name: 'request_id', type: 'varchar', length: 128 })
  requestId: string;

  @Column({ type: 'timestamptz' })
  timestamp: Date;

  /** A bulk call's keys, in order; null for any other operation. */
  @Column({ name: 'key_paths', type: 'text', array: true, collation: 'C', nullable: true })
  keyPaths: string[] | null;

  /** The entry of each of `keyPaths` (null: none, or a missing key of a successful call). */
  @Column({ name: 'entry_ids', type: 'uuid', array: true, nullable: true })
  entryIds: (string | null)[] | null;
}
