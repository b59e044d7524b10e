import { Socket, connect } from 'node:net';

export interface RawAnswer {
  status: number;
  /** The response's header block, lower-cased. */
  headers: string;
  body: { status?: number; code?: string };
  /** Whether the service closed the connection after answering. */
  closed: boolean;
}

/** Opens a connection to the service at `url` and writes `head` on it. */
export function openWith(url: string, head: string): Promise<Socket> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      socket.write(head);
      resolve(socket);
    });
  });
}

/**
 * Sends only the request line and headers of a request that announces a body, and never the
 * body: resolves to the answer once the service closes the connection. Gives up after 10 s, so
 * a service that waits for the body fails the test instead of hanging it.
 */
export async function headersOnly(url: string, head: string): Promise<RawAnswer> {
  const socket = await openWith(url, head);
  return new Promise((resolve) => {
    let text = '';
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      const [headers, body = ''] = text.split('\r\n\r\n');
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0),
        headers: headers.toLowerCase(),
        body: body === '' ? {} : (JSON.parse(body) as RawAnswer['body']),
        closed,
      });
    };
    const timer = setTimeout(() => finish(false), 10_000);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.once('close', () => finish(true));
  });
}
