import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import request from 'supertest';
import { TestApp, createTestApp } from '../utils/create-test-app';

describe('HTTP basics', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp();
  });

  afterAll(async () => {
    await sut.close();
  });

  const http = () => sut.http();
  /** No token: health, metrics and the Swagger routes are public. */
  const anonymous = () => request(sut.target);

  it('answers an unknown route with a problem+json 404', async () => {
    const res = await http().get('/api/v1/kv/nothing/here/at/all');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('ROUTE_NOT_FOUND');
  });

  it('answers a URL that is not percent-encoded UTF-8 with a problem+json 400', async () => {
    for (const path of ['/api/v1/kv/%E0/entries/a', `/api/v1/kv/${randomUUID()}/entries/a%ZZ`]) {
      const res = await http().get(path);
      expect([path, res.status, res.body.code]).toEqual([path, 400, 'VALIDATION_FAILED']);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('answers bytes that are not HTTP with a problem+json 400 before closing', async () => {
    const { hostname, port } = new URL(await sut.url());
    const raw = await new Promise<string>((resolve) => {
      let received = '';
      const socket = connect(Number(port), hostname, () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
      // The server closes the connection after answering; a reset may follow the answer.
      socket.on('close', () => resolve(received));
      socket.on('error', () => undefined);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(raw).toContain('Content-Type: application/problem+json');
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
  });

  it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
    const kept = await http().get('/health/live').set('x-request-id', 'gateway-123');
    expect(kept.headers['x-request-id']).toBe('gateway-123');
    const replaced = await http().get('/health/live').set('x-request-id', 'bad id\twith spaces');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const generated = await http().get('/health/live');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers and no CORS permission', async () => {
    const res = await http().get('/api/v1/kv/namespaces').set('origin', 'https://evil.example');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeDefined();
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('rejects a body over the size limit with 413', async () => {
    const res = await http()
      .post('/api/v1/kv/namespaces')
      .set('content-type', 'application/json')
      .send(
        JSON.stringify({
          name: 'big',
          applicationId: 'app',
          description: 'x'.repeat(5 * 1024 * 1024),
        }),
      );
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('serves liveness, readiness and metrics without a token', async () => {
    expect((await anonymous().get('/health/live')).body).toEqual({ status: 'ok' });
    const ready = await anonymous().get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.details).toMatchObject({
      database: { status: 'up' },
      migrations: { status: 'up' },
    });
    const metrics = await anonymous().get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.text).toContain('process_cpu_user_seconds_total');
    expect(metrics.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/health\/live",status="200"\} \d+/,
    );
  });

  it('serves the OpenAPI document with operation ids and the full prefix', async () => {
    const res = await anonymous().get('/api/v1/kv/swagger-ui-json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.paths['/api/v1/kv/namespaces'].post.operationId).toBe('createNamespace');
    expect(res.body.paths['/api/v1/kv/namespaces/{id}'].get.operationId).toBe('getNamespace');
    expect(res.body.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    const ui = await anonymous().get('/api/v1/kv/swagger-ui');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
  });
});
