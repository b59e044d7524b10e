import { EntryDto, EntryPageDto, NamespaceDto, ProblemDto, bodyOf } from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { API } from '../utils/entries';
import { createNamespace } from '../utils/factories';

describe('namespace ids in any spelling', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp();
  });

  afterAll(() => sut?.close());

  it.each([false, true])(
    'name one namespace: a change through one spelling is seen through every other (secret: %s)',
    async (isSecretNamespace) => {
      const { id } = await createNamespace(sut.http(), { isSecretNamespace });
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
        expect(bodyOf<EntryDto>(read).value).toBe('v1');
        const list = await sut.http().get(`${API}/${spelling}/entries?prefix=app/`);
        expect(bodyOf<EntryPageDto>(list).items.map((item) => item.keyPath)).toEqual(['app/token']);
      }

      expect((await sut.http().delete(`${API}/${id}/entries/app/token`)).status).toBe(204);

      const gone = await sut.http().get(`${API}/${upper}/entries/app/token`);
      expect(gone.status).toBe(404);
      expect(bodyOf<ProblemDto>(gone).code).toBe('ENTRY_NOT_FOUND');
      const list = await sut.http().get(`${API}/${upper}/entries?prefix=app/`);
      expect(bodyOf<EntryPageDto>(list).items).toEqual([]);
      const namespaceRead = await sut.http().get(`${API}/namespaces/${upper}`);
      expect(bodyOf<NamespaceDto>(namespaceRead).id).toBe(id);
    },
  );
});
