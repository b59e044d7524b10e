import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An event written in the same transaction as its change, waiting for the relay to publish
 * it. Sent rows are kept for a while (de-duplication, diagnosis), then pruned.
 */
@Entity({ name: 'event_outbox' })
@Index('ix_event_outbox_pending', ['id'], { where: '"sent_at" IS NULL' })
@Index('ix_event_outbox_ordering_key_pending', ['orderingKey', 'id'], {
  where: '"sent_at" IS NULL',
})
@Index('ix_event_outbox_sent_at', ['sentAt'], { where: '"sent_at" IS NOT NULL' })
@Index('ix_event_outbox_tx', ['tx'])
export class OutboxEventEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'pk_event_outbox',
  })
  id: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @Column({ name: 'routing_key', type: 'varchar', length: 64 })
  routingKey: string;

  @Column({ name: 'ordering_key', type: 'text', collation: 'C' })
  orderingKey: string;

  @Column({ type: 'text' })
  payload: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  /** The namespace the change is of (null only for rows written before this column). */
  @Column({ name: 'namespace_id', type: 'uuid', nullable: true })
  namespaceId: string | null;

  /** The id of the transaction that wrote the row (OUTBOX_TX), for the change feed. */
  @Column({ type: 'bigint' })
  tx: string;

  /** The namespace's revision the change made or follows, set by the outbox trigger. */
  @Column({ type: 'bigint', nullable: true })
  revision: string | null;
}
