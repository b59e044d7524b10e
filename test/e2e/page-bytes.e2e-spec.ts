import { BulkGetResultDto, EntryPageDto, ProblemDto, bodyOf } from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { createNamespace } from '../utils/factories';

const API = '/api/v1/kv';
const MAX_PAGE_BYTES = 64 * 1024;
const VALUE = 'x'.repeat(20 * 1024);

describe('responses bounded by KV_MAX_PAGE_BYTES', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp({ env: { KV_MAX_PAGE_BYTES: String(MAX_PAGE_BYTES) } });
  });

  afterAll(() => sut?.close());

  it.each([false, true])(
    'stops a page of values at the bound and continues it by cursor, losing no key (secret: %s)',
    async (isSecretNamespace) => {
      const ns = (await createNamespace(sut.http(), { isSecretNamespace })).id;
      const keys = Array.from({ length: 10 }, (_, i) => `big/${String(i).padStart(2, '0')}`);
      const set = await sut
        .http()
        .post(`${API}/${ns}/bulk/set`)
        .send({ entries: keys.map((key) => ({ key, value: VALUE, valueType: 'STRING' })) });
      expect(set.status).toBe(200);

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await sut
          .http()
          .get(`${API}/${ns}/entries`)
          .query({ includeValues: true, limit: 1000, ...(cursor ? { cursor } : {}) });
        expect(res.status).toBe(200);
        expect(res.text.length).toBeLessThanOrEqual(MAX_PAGE_BYTES + VALUE.length);
        const page = bodyOf<EntryPageDto>(res);
        for (const item of page.items) {
          expect(item.value).toBe(VALUE);
          seen.push(item.keyPath);
        }
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== null);
      expect(seen).toEqual(keys);
      expect(pages).toBeGreaterThanOrEqual(3);

      const keysOnly = await sut.http().get(`${API}/${ns}/entries`).query({ limit: 1000 });
      expect(bodyOf<EntryPageDto>(keysOnly).items).toHaveLength(10);
      expect(bodyOf<EntryPageDto>(keysOnly).nextCursor).toBeNull();

      const tooMuch = await sut.http().post(`${API}/${ns}/bulk/get`).send({ keys });
      expect(tooMuch.status).toBe(413);
      expect(bodyOf<ProblemDto>(tooMuch).code).toBe('RESPONSE_TOO_LARGE');
      expect(tooMuch.text).not.toContain(VALUE.slice(0, 100));
      const fits = await sut
        .http()
        .post(`${API}/${ns}/bulk/get`)
        .send({ keys: keys.slice(0, 2) });
      expect(fits.status).toBe(200);
      expect(bodyOf<BulkGetResultDto>(fits).items).toHaveLength(2);
    },
  );
});
