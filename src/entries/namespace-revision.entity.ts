import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { NamespaceEntity } from '../namespaces/namespace.entity';

/**
 * A namespace's revision counter, raised by the outbox trigger once per committing
 * transaction that changes an entry (see the migration NamespaceRevisions). Never written
 * through TypeORM: declared for the schema.
 */
@Entity({ name: 'namespace_revisions' })
export class NamespaceRevisionEntity {
  @PrimaryColumn({
    name: 'namespace_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_namespace_revisions',
  })
  namespaceId: string;

  @OneToOne(() => NamespaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'namespace_id',
    foreignKeyConstraintName: 'fk_namespace_revisions_namespace_id',
  })
  namespace?: NamespaceEntity;

  @Column({ type: 'bigint', default: 0 })
  revision: string;

  /** The transaction that raised `revision` last: its later events keep the number. */
  @Column({ type: 'bigint', default: 0 })
  tx: string;

  /** The oldest revision whose state history can still answer (see retention). */
  @Column({ name: 'compacted_revision', type: 'bigint', default: 0 })
  compactedRevision: string;
}
