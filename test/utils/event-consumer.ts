import { randomUUID } from 'node:crypto';
import amqp, { ChannelModel, ConsumeMessage } from 'amqplib';

export const TEST_RABBITMQ_URL =
  process.env.TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export interface ReceivedEvent {
  routingKey: string;
  messageId: string | undefined;
  persistent: boolean;
  contentType: string | undefined;
  body: Record<string, unknown>;
  raw: string;
}

/**
 * A consumer on a queue of its own, bound to every routing key of the exchange. The queue is
 * durable so that it keeps what is routed while the consumer reconnects after a broker restart.
 */
export class EventConsumer {
  readonly received: ReceivedEvent[] = [];
  readonly queue = `kv-test-${randomUUID()}`;
  private connection?: ChannelModel;

  constructor(readonly exchange: string) {}

  async connect(): Promise<void> {
    const connection = await amqp.connect(TEST_RABBITMQ_URL);
    connection.on('error', () => undefined);
    const channel = await connection.createChannel();
    await channel.assertExchange(this.exchange, 'topic', { durable: true });
    await channel.assertQueue(this.queue, { durable: true, autoDelete: false });
    await channel.bindQueue(this.queue, this.exchange, '#');
    await channel.consume(this.queue, (message: ConsumeMessage | null) => {
      if (!message) {
        return;
      }
      const raw = message.content.toString('utf8');
      this.received.push({
        routingKey: message.fields.routingKey,
        messageId: message.properties.messageId as string | undefined,
        persistent: message.properties.deliveryMode === 2,
        contentType: message.properties.contentType as string | undefined,
        body: JSON.parse(raw) as Record<string, unknown>,
        raw,
      });
      channel.ack(message);
    });
    this.connection = connection;
  }

  of(namespaceId: string): ReceivedEvent[] {
    return this.received.filter((event) => event.body.namespaceId === namespaceId);
  }

  async close(): Promise<void> {
    await this.connection?.close().catch(() => undefined);
    const connection = await amqp.connect(TEST_RABBITMQ_URL);
    const channel = await connection.createChannel();
    await channel.deleteQueue(this.queue);
    await channel.deleteExchange(this.exchange);
    await connection.close();
  }
}
