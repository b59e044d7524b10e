import { EntryDto, bodyOf } from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { createNamespace } from '../utils/factories';

const API = '/api/v1/kv';
const WRITERS = 1200;

describe('many writers of one key at once', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp();
  });

  afterAll(() => sut?.close());

  it('writes each acknowledged value as its own version, and tells the overflow to retry', async () => {
    const ns = (await createNamespace(sut.http())).id;
    const base = await sut.url();
    const answers = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) =>
        fetch(`${base}${API}/${ns}/entries/hot/key`, {
          method: 'PUT',
          headers: {
            authorization: `Bearer ${sut.adminToken}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ value: i, valueType: 'NUMBER' }),
        }).then(async (res) => ({
          status: res.status,
          retryAfter: res.headers.get('retry-after'),
          body: (await res.json()) as { version?: number; code?: string },
        })),
      ),
    );

    const written = answers.filter((answer) => answer.status < 300);
    const refused = answers.filter((answer) => answer.status >= 300);
    for (const answer of refused) {
      expect(answer).toMatchObject({
        status: 503,
        retryAfter: expect.any(String),
        body: { code: 'SERVICE_UNAVAILABLE' },
      });
    }
    const versions = written.map((answer) => answer.body.version!).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: written.length }, (_, i) => i + 1));
    const read = await sut.http().get(`${API}/${ns}/entries/hot/key`);
    expect(bodyOf<EntryDto>(read).version).toBe(written.length);
  });
});
