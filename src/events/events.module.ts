import { RabbitMQModule } from '@golevelup/nestjs-rabbitmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import type { KvConfig } from '../config/kv-config.types';
import { AmqpEventPublisher } from './amqp-event-publisher';
import { ChangeFeed } from './change-feed.service';
import { DisabledEventPublisher } from './disabled-event-publisher';
import { EventPublisher } from './event-publisher';
import { OutboxRelay } from './outbox-relay.service';
import { OutboxWatch } from './outbox-watch.service';
import { OutboxService } from './outbox.service';

/** Change events: the transactional outbox, and its relay to RabbitMQ when RABBITMQ_URL is set. */
@Global()
@Module({})
export class EventsModule {
  static forRoot(config: KvConfig): DynamicModule {
    const url = config.events.rabbitmqUrl;
    return {
      module: EventsModule,
      imports: url
        ? [
            RabbitMQModule.forRoot({
              uri: url,
              exchanges: [
                {
                  name: config.events.exchange,
                  type: 'topic',
                  createExchangeIfNotExists: true,
                  options: { durable: true },
                },
              ],
              // Boot and serve while the broker is down: events wait in the outbox meanwhile.
              connectionInitOptions: { wait: false },
              enableControllerDiscovery: false,
            }),
          ]
        : [],
      providers: [
        ChangeFeed,
        OutboxService,
        OutboxRelay,
        OutboxWatch,
        { provide: EventPublisher, useClass: url ? AmqpEventPublisher : DisabledEventPublisher },
      ],
      exports: [ChangeFeed, OutboxService, EventPublisher, OutboxRelay, OutboxWatch],
    };
  }
}
