import { parseArgs } from 'node:util';
import { connect } from 'amqplib';
import { ConfigError } from '../config/config.error';
import { loadConfig } from '../config/load-config';

const USAGE =
  'usage: RABBITMQ_URL=amqp://… npm run -s events -- [--keys kv.entry.#] [--seconds 30]';

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(1);
}

/** One line per event, however the publisher spaced its JSON. */
function compact(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

/**
 * npm run events: prints the change events of KV_EVENTS_EXCHANGE as JSON lines, as a consumer
 * sees them, from a queue of its own that the broker deletes when it disconnects.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      keys: { type: 'string', default: '#' },
      seconds: { type: 'string' },
    },
  });
  const seconds = values.seconds === undefined ? undefined : Number(values.seconds);
  if (seconds !== undefined && !(Number.isInteger(seconds) && seconds > 0)) {
    fail('--seconds must be a positive integer');
  }
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    fail(error instanceof ConfigError ? error.message : String(error));
  }
  const { rabbitmqUrl, exchange } = config.events;
  if (rabbitmqUrl === undefined) {
    fail('RABBITMQ_URL is not set');
  }
  const connection = await connect(rabbitmqUrl);
  const channel = await connection.createChannel();
  await channel.assertExchange(exchange, 'topic', { durable: true });
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, exchange, values.keys);
  await channel.consume(
    queue,
    (message) => {
      if (message !== null) {
        console.log(compact(message.content.toString('utf8')));
      }
    },
    { noAck: true },
  );
  console.error(`watching ${exchange} for ${values.keys}${seconds ? ` for ${seconds} s` : ''}`);
  const stop = (): void => void connection.close().finally(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (seconds !== undefined) {
    setTimeout(stop, seconds * 1000);
  }
}

void main().catch((error: unknown) => fail((error as Error).message));
