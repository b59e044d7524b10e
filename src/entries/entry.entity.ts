import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { NamespaceEntity } from '../namespaces/namespace.entity';
import { ValueType } from './model/value-type.enum';

/**
 * One key of a namespace. `key_path` is COLLATE "C" so that the unique index serves both the
 * point lookup and prefix ranges in byte order. Values are stored as their JSON text, which
 * gives back exactly what was sent. A deleted or expired entry stays as a tombstone row
 * (`deleted_at` set, see the migration EntryTombstones): every read filters on ALIVE.
 */
@Entity({ name: 'entries' })
@Unique('uq_entries_namespace_id_key_path', ['namespaceId', 'keyPath'])
@Index('ix_entries_expires_at', ['expiresAt'], { where: '"expires_at" IS NOT NULL' })
@Index('ix_entries_recoverable_until', ['recoverableUntil'], {
  where: '"recoverable_until" IS NOT NULL',
})
@Check(
  'ck_entries_one_value',
  'CASE WHEN "deleted_at" IS NULL THEN ("value" IS NULL) <> ("value_ciphertext" IS NULL) ELSE "value" IS NULL AND "value_ciphertext" IS NULL AND "expires_at" IS NULL END',
)
export class EntryEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_entries' })
  id: string;

  @Column({ name: 'namespace_id', type: 'uuid' })
  namespaceId: string;

  // Declared for the schema (deleting a namespace deletes its entries); never loaded.
  @ManyToOne(() => NamespaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'namespace_id', foreignKeyConstraintName: 'fk_entries_namespace_id' })
  namespace?: NamespaceEntity;

  @Column({ name: 'key_path', type: 'varchar', length: 512, collation: 'C' })
  keyPath: string;

  @Column({ name: 'value_type', type: 'varchar', length: 16 })
  valueType: ValueType;

  /** The JSON text of a plain namespace's value; null in secret namespaces. */
  @Column({ type: 'text', nullable: true })
  value: string | null;

  /** The sealed JSON text of a secret namespace's value; never leaves the entries services. */
  @Column({ name: 'value_ciphertext', type: 'bytea', nullable: true, select: false })
  valueCiphertext?: Buffer | null;

  @Column({ type: 'integer' })
  version: number;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ type: 'text', nullable: true })
  metadata: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  /** Set on a tombstone: when the entry was deleted or expired. */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true, select: false })
  deletedAt?: Date | null;

  /** Who deleted it (the token's sub), or the sweeper for an expiry. */
  @Column({ name: 'deleted_by', type: 'varchar', length: 256, nullable: true, select: false })
  deletedBy?: string | null;

  /** Secret namespaces: until when its versions are kept and it can be restored. */
  @Column({ name: 'recoverable_until', type: 'timestamptz', nullable: true, select: false })
  recoverableUntil?: Date | null;

  /**
   * The namespace revision that created this incarnation of the key, and the one that last
   * changed it (0: before revisions). Not columns: read from the key's latest change.
   */
  createRevision?: number;
  modRevision?: number;
}
