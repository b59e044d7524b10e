import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';

@Entity({ name: 'namespaces' })
@Unique('uq_namespaces_application_id_name', ['applicationId', 'name'])
@Check('ck_namespaces_default_ttl_seconds', '"default_ttl_seconds" > 0')
@Check('ck_namespaces_max_versions', '"max_versions" > 0')
@Check('ck_namespaces_history_retention_days', '"history_retention_days" > 0')
@Index('ix_namespaces_name_id', ['name', 'id'])
export class NamespaceEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_namespaces' })
  id: string;

  @Column({ name: 'application_id', type: 'varchar', length: 128, collation: 'C' })
  applicationId: string;

  @Column({ type: 'varchar', length: 128, collation: 'C' })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'is_secret_namespace', type: 'boolean', default: false })
  isSecretNamespace: boolean;

  @Column({ name: 'default_ttl_seconds', type: 'integer', nullable: true })
  defaultTtlSeconds: number | null;

  /** Versions kept of each key, the newest; null: every one. */
  @Column({ name: 'max_versions', type: 'integer', nullable: true })
  maxVersions: number | null;

  /** Days its history is kept; null: KV_HISTORY_RETENTION_DAYS. */
  @Column({ name: 'history_retention_days', type: 'integer', nullable: true })
  historyRetentionDays: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
