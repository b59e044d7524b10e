import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { NamespaceEntity } from '../../namespaces/namespace.entity';

/**
 * A namespace's revision pinned under a name: immutable once made, and history retention keeps
 * what an as-of read of that revision needs.
 */
@Entity({ name: 'namespace_snapshots' })
@Index('ix_namespace_snapshots_revision', ['namespaceId', 'revision'])
export class SnapshotEntity {
  @PrimaryColumn({
    name: 'namespace_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_namespace_snapshots',
  })
  namespaceId: string;

  @ManyToOne(() => NamespaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'namespace_id',
    foreignKeyConstraintName: 'fk_namespace_snapshots_namespace_id',
  })
  namespace?: NamespaceEntity;

  @PrimaryColumn({
    type: 'varchar',
    length: 128,
    collation: 'C',
    primaryKeyConstraintName: 'pk_namespace_snapshots',
  })
  name: string;

  @Column({ type: 'bigint' })
  revision: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 256 })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
