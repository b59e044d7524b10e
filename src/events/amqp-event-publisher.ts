import { AmqpConnection } from '@golevelup/nestjs-rabbitmq';
import { Injectable } from '@nestjs/common';
import type { Options } from 'amqplib';
import { ConfigService } from '@nestjs/config';
import type { KvConfig } from '../config/kv-config.types';
import { EventPublisher } from './event-publisher';

const CONFIRM_TIMEOUT_MS = 5000;

/** Publishes persistent JSON messages with publisher confirms and a per-message timeout. */
@Injectable()
export class AmqpEventPublisher extends EventPublisher {
  private readonly exchange: string;

  constructor(
    private readonly amqp: AmqpConnection,
    config: ConfigService<KvConfig, true>,
  ) {
    super();
    this.exchange = config.get('events.exchange', { infer: true });
  }

  async publish(routingKey: string, messageId: string, payload: string): Promise<void> {
    // amqp-connection-manager honours `timeout`, which amqplib's option type does not list.
    const options: Options.Publish & { timeout: number } = {
      persistent: true,
      messageId,
      contentType: 'application/json',
      timeout: CONFIRM_TIMEOUT_MS,
    };
    await this.amqp.publish(this.exchange, routingKey, Buffer.from(payload, 'utf8'), options);
  }

  state(): 'up' | 'down' {
    return this.amqp.connected ? 'up' : 'down';
  }
}
