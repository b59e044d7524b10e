import { createServer, Server } from 'node:http';
import { JWK } from 'jose';

/** A JWKS endpoint on loopback whose key set a test can change, like an identity provider rotating keys. */
export class JwksServer {
  keys: JWK[] = [];
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: this.keys }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return `http://127.0.0.1:${port}/jwks.json`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
