import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  OneToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { NamespaceEntity } from '../namespaces/namespace.entity';

/**
 * The data key of a secret namespace, wrapped (AES-256-GCM) by the master key `keyId`.
 * Rotating the master key rewrites only these rows.
 */
@Entity({ name: 'namespace_data_keys' })
export class NamespaceDataKeyEntity {
  @PrimaryColumn({
    name: 'namespace_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_namespace_data_keys',
  })
  namespaceId: string;

  @OneToOne(() => NamespaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'namespace_id',
    foreignKeyConstraintName: 'fk_namespace_data_keys_namespace_id',
  })
  namespace?: NamespaceEntity;

  @Column({ name: 'key_id', type: 'varchar', length: 64 })
  keyId: string;

  @Column({ name: 'wrapped_key', type: 'bytea', select: false })
  wrappedKey: Buffer;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
