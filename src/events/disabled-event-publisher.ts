import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EventPublisher } from './event-publisher';

/** Without RABBITMQ_URL: events stay in the outbox until a configured service publishes them. */
@Injectable()
export class DisabledEventPublisher extends EventPublisher implements OnApplicationBootstrap {
  onApplicationBootstrap(): void {
    new Logger('Events').warn(
      'RABBITMQ_URL is not set: change events wait in the outbox and are not published',
    );
  }

  publish(): Promise<void> {
    return Promise.reject(new Error('no broker configured'));
  }

  state(): 'disabled' {
    return 'disabled';
  }
}
