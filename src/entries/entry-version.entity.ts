import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { EntryEntity } from './entry.entity';
import { ValueType } from './model/value-type.enum';
import { ChangeReason } from './store/change-reason.enum';

/**
 * Every version of an entry: a plain one's value as JSON text, a secret one's encrypted and
 * bound to (namespace, key, version).
 */
@Entity({ name: 'entry_versions' })
@Check('ck_entry_versions_one_value', '("value" IS NULL) <> ("value_ciphertext" IS NULL)')
@Unique('uq_entry_versions_entry_id_version', ['entryId', 'version'])
export class EntryVersionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_entry_versions' })
  id: string;

  @Column({ name: 'entry_id', type: 'uuid' })
  entryId: string;

  @ManyToOne(() => EntryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'entry_id', foreignKeyConstraintName: 'fk_entry_versions_entry_id' })
  entry?: EntryEntity;

  @Column({ type: 'integer' })
  version: number;

  @Column({ name: 'value_type', type: 'varchar', length: 16 })
  valueType: ValueType;

  /** A plain namespace's value, as JSON text. */
  @Column({ type: 'text', nullable: true, select: false })
  value: string | null;

  @Column({ name: 'value_ciphertext', type: 'bytea', nullable: true, select: false })
  valueCiphertext: Buffer | null;

  @Column({ name: 'change_reason', type: 'varchar', length: 16 })
  changeReason: ChangeReason;

  @Column({ name: 'changed_by', type: 'varchar', length: 256 })
  changedBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
