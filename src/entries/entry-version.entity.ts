import {
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

/** Every version of a secret entry, encrypted and bound to (namespace, key, version). */
@Entity({ name: 'entry_versions' })
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

  @Column({ name: 'value_ciphertext', type: 'bytea', select: false })
  valueCiphertext: Buffer;

  @Column({ name: 'change_reason', type: 'varchar', length: 16 })
  changeReason: ChangeReason;

  @Column({ name: 'changed_by', type: 'varchar', length: 256 })
  changedBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
