/** Where the relay sends events: RabbitMQ, or nowhere while it is not configured. */
export abstract class EventPublisher {
  /** Resolves once the broker has confirmed the message; rejects on timeout or refusal. */
  abstract publish(routingKey: string, messageId: string, payload: string): Promise<void>;

  /** `up`, `down` (configured but unreachable) or `disabled` (no RABBITMQ_URL). */
  abstract state(): 'up' | 'down' | 'disabled';
}
