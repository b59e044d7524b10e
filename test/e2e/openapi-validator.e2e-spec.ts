import { openApiValidator } from '../utils/openapi-validator';

/** The checker every e2e response goes through (validate-responses.setup.ts) can fail. */
describe('OpenAPI response validator', () => {
  const sut = openApiValidator();
  const ns = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

  it('finds the documented operation, keys with raw slashes and sub-resources included', () => {
    const operationOf = (method: string, url: string) =>
      sut.match(method, url)?.operation.operationId;
    expect(operationOf('GET', `/api/v1/kv/${ns}/entries/config/db/host?x=1`)).toBe('getEntry');
    expect(operationOf('GET', `/api/v1/kv/${ns}/entries/config%2Fdb%2Fhost`)).toBe('getEntry');
    expect(operationOf('GET', `/api/v1/kv/${ns}/entries/config/db/versions`)).toBe('listVersions');
    expect(operationOf('PUT', `/api/v1/kv/${ns}/entries/config/versions`)).toBe('setEntry');
    expect(operationOf('GET', '/api/v1/kv/namespaces/entries')).toBe('getNamespace');
    expect(operationOf('GET', '/api/v1/kv/swagger-ui-json')).toBeUndefined();
    expect(operationOf('PATCH', '/api/v1/kv/namespaces')).toBeUndefined();
  });

  it('refuses an undocumented status, media type or body, and a body off its schema', () => {
    const list = sut.match('GET', '/api/v1/kv/namespaces')!;
    const page = { items: [], nextCursor: null };
    const json = 'application/json; charset=utf-8';
    expect(sut.checkResponse(list, { status: 200, contentType: json, body: page })).toBeUndefined();
    expect(sut.checkResponse(list, { status: 418, contentType: json, body: page })).toMatch(
      /status not documented/,
    );
    expect(sut.checkResponse(list, { status: 200, contentType: 'text/html', body: '' })).toMatch(
      /media type text\/html not documented/,
    );
    expect(
      sut.checkResponse(list, { status: 200, contentType: json, body: { items: [{}] } }),
    ).toMatch(/must have required property/);
    const remove = sut.match('DELETE', `/api/v1/kv/namespaces/${ns}`)!;
    expect(sut.checkResponse(remove, { status: 204, contentType: json, body: {} })).toMatch(
      /a body where the spec documents none/,
    );
  });

  it('checks formats strictly: a uuid needs RFC 4122 version and variant bits', () => {
    const audit = sut.match('GET', '/api/v1/kv/audit')!;
    const row = (id: string) => ({
      id,
      applicationId: 'app-1',
      namespaceId: null,
      entryId: null,
      keyPath: null,
      action: 'READ',
      userId: null,
      success: true,
      statusCode: 200,
      requestId: 'r',
      timestamp: '2026-12-04T10:00:00.000Z',
    });
    const check = (id: string) =>
      sut.checkResponse(audit, {
        status: 200,
        contentType: 'application/json',
        body: { items: [row(id)], nextCursor: null },
      });
    expect(check('d88d055b-b9e2-3d52-96fb-5d4f5b2a9200')).toBeUndefined();
    // md5 bits cast to uuid: version nibble 0, variant bits 0xxx.
    expect(check('d88d055b-b9e2-0d52-76fb-5d4f5b2a9200')).toMatch(/must match format "uuid"/);
  });
});
