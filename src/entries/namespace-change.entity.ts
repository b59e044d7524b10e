import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { NamespaceRevisionEntity } from './namespace-revision.entity';

/**
 * One change of an entry at a revision of its namespace: the watch feed and the index of
 * as-of reads. Written by the outbox trigger from the change's event; never holds a value.
 */
@Entity({ name: 'namespace_changes' })
@Index('ix_namespace_changes_key', ['namespaceId', 'keyPath', 'revision'])
export class NamespaceChangeEntity {
  @PrimaryColumn({
    name: 'namespace_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_namespace_changes',
  })
  namespaceId: string;

  @ManyToOne(() => NamespaceRevisionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'namespace_id',
    referencedColumnName: 'namespaceId',
    foreignKeyConstraintName: 'fk_namespace_changes_namespace_id',
  })
  counter?: NamespaceRevisionEntity;

  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_namespace_changes' })
  revision: string;

  /** The event's outbox id: the order of changes within a revision. */
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_namespace_changes' })
  seq: string;

  /** The event's routing key. */
  @Column({ type: 'varchar', length: 64 })
  type: string;

  @Column({ name: 'key_path', type: 'text', collation: 'C' })
  keyPath: string;

  @Column({ name: 'entry_id', type: 'uuid' })
  entryId: string;

  @Column({ type: 'integer' })
  version: number;

  /** The revision that created the key's incarnation this change is of (0: before revisions). */
  @Column({ name: 'create_revision', type: 'bigint' })
  createRevision: string;

  @Column({ type: 'varchar', length: 256 })
  actor: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;
}
