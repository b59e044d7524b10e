import { randomBytes, randomUUID } from 'node:crypto';
import { Socket, connect } from 'node:net';
import { ServiceProcess, startService } from '../utils/service-process';
import { TestDatabase } from '../utils/test-database';
import { Tokens } from '../utils/tokens';

// Production waits 10 s for headers and 30 s for a whole request; here a fraction of that.
const HEADERS_TIMEOUT_MS = 400;
const REQUEST_TIMEOUT_MS = 800;
const DRIP_INTERVAL_MS = 100;

interface Dripped {
  /** What the service answered before it closed the connection. */
  response: string;
  /** Bytes of the drip written before the connection closed. */
  dripped: number;
}

/**
 * Sends `head` at once, then `drip` one byte at a time, until the service closes the
 * connection (or the drip is done, which the service should never let happen).
 */
function drip(url: string, head: string, drip: string): Promise<Dripped> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(Number(port), '127.0.0.1');
    let response = '';
    let dripped = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.on('data', (chunk: Buffer) => (response += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.once('close', () => {
      clearInterval(timer);
      resolve({ response, dripped });
    });
    socket.once('connect', () => {
      socket.write(head);
      timer = setInterval(() => {
        if (dripped === drip.length) {
          clearInterval(timer);
          socket.destroy();
          reject(new Error(`the whole drip of ${drip.length} bytes was accepted`));
          return;
        }
        socket.write(drip[dripped]);
        dripped += 1;
      }, DRIP_INTERVAL_MS);
    });
  });
}

function expectRequestTimeout({ response }: Dripped): void {
  expect(response).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  const body = response.slice(response.indexOf('\r\n\r\n') + 4);
  expect(JSON.parse(body)).toMatchObject({ status: 408, code: 'REQUEST_TIMEOUT' });
}

/**
 * A client that sends its request slowly is cut with 408 once KV_HEADERS_TIMEOUT_MS or
 * KV_REQUEST_TIMEOUT_MS has passed. Nothing here is timed: each drip would take 20 s or more
 * to finish, and the test asserts it was cut long before it could.
 */
describe('request timeouts', () => {
  const database = new TestDatabase('timeouts');
  const secret = randomBytes(32).toString('hex');
  let service: ServiceProcess;

  beforeAll(async () => {
    await database.create();
    service = await startService({
      DATABASE_URL: database.url,
      KV_MASTER_KEY: randomBytes(32).toString('base64'),
      AUTH_JWT_SECRET: secret,
      LOG_LEVEL: 'warn',
      KV_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      KV_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    });
  });

  afterAll(async () => {
    await service?.stop('SIGKILL');
    await database.drop();
  });

  it('cuts an authenticated request whose body is dripped with 408 REQUEST_TIMEOUT', async () => {
    const token = await new Tokens(secret).mint();
    const body = JSON.stringify({ value: 'x'.repeat(200), valueType: 'STRING' });
    const result = await drip(
      service.url,
      `PUT /api/v1/kv/${randomUUID()}/entries/dripped HTTP/1.1\r\nHost: kv\r\n` +
        `Authorization: Bearer ${token}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
      body,
    );
    expectRequestTimeout(result);
    expect(result.dripped).toBeLessThan(body.length);
  });

  it('cuts a request whose headers are dripped with 408 REQUEST_TIMEOUT', async () => {
    const result = await drip(
      service.url,
      'GET /health/live HTTP/1.1\r\n',
      `X-Slow: ${'s'.repeat(200)}\r\n\r\n`,
    );
    expectRequestTimeout(result);
    expect(result.dripped).toBeLessThan(200);
  });

  it('still serves a request sent at once', async () => {
    expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
  });
});
