import { TestApp, createTestApp } from '../utils/create-test-app';
import { namespaceBody } from '../utils/factories';

const API = '/api/v1/kv';

describe('namespace ids in any spelling', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp();
  });

  afterAll(() => sut?.close());

  async function namespace(isSecretNamespace: boolean): Promise<string> {
    return (await sut.http().post(`${API}/namespaces`).send(namespaceBody({ isSecretNamespace })))
      .body.id as string;
  }

  it.each([false, true])(
    'name one namespace: a change through one spelling is seen through every other (secret: %s)',
    async (isSecretNamespace) => {
      const id = await namespace(isSecretNamespace);
      const upper = id.toUpperCase();
      const put = await sut
        .http()
        .put(`${API}/${upper}/entries/app/token`)
        .send({ value: 'v1', valueType: 'STRING' });
      expect(put.status).toBe(201);

      // Read through both spellings, so each could have been cached.
      for (const spelling of [upper, id, upper]) {
        const read = await sut.http().get(`${API}/${spelling}/entries/app/token`);
        expect(read.status).toBe(200);
        expect(read.body.value).toBe('v1');
        const list = await sut.http().get(`${API}/${spelling}/entries?prefix=app/`);
        expect(list.body.items.map((item: { keyPath: string }) => item.keyPath)).toEqual([
          'app/token',
        ]);
      }

      expect((await sut.http().delete(`${API}/${id}/entries/app/token`)).status).toBe(204);

      const gone = await sut.http().get(`${API}/${upper}/entries/app/token`);
      expect(gone.status).toBe(404);
      expect(gone.body.code).toBe('ENTRY_NOT_FOUND');
      const list = await sut.http().get(`${API}/${upper}/entries?prefix=app/`);
      expect(list.body.items).toEqual([]);
      const namespaceRead = await sut.http().get(`${API}/namespaces/${upper}`);
      expect(namespaceRead.body.id).toBe(id);
    },
  );
});
