import { AuditAction } from './audit-action.enum';
import { AuditContext } from './audit-context';

const NAMESPACE = '3f1e4a55-6b7c-4d8e-9f00-112233445566';

describe('AuditContext', () => {
  let sut: AuditContext;

  beforeEach(() => {
    sut = new AuditContext(AuditAction.READ, 'req-1', NAMESPACE, 'a/b', 'alice', 200);
    sut.forApplication('app-1');
  });

  it('records one operation with its key and entry', () => {
    sut.forEntry('e-1');
    expect(sut.record(true, 200)).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      application_id: 'app-1',
      namespace_id: NAMESPACE,
      entry_id: 'e-1',
      key_path: 'a/b',
      action: AuditAction.READ,
      user_id: 'alice',
      success: true,
      status_code: 200,
      request_id: 'req-1',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      key_paths: null,
      entry_ids: null,
    });
  });

  it("packs a bulk call's keys in order, a missing key of a success without its entry", () => {
    sut.forKeys([
      { keyPath: 'k1', entryId: 'e-1' },
      { keyPath: 'k2', entryId: null, missing: true },
    ]);
    expect(sut.record(true, 200)).toMatchObject({
      key_path: null,
      entry_id: null,
      key_paths: ['k1', 'k2'],
      entry_ids: ['e-1', null],
    });
  });

  it('keeps the entries of a failed bulk call as they were known', () => {
    sut.forKeys([{ keyPath: 'k1', entryId: 'e-1', missing: true }]);
    expect(sut.record(false, 503)).toMatchObject({
      success: false,
      status_code: 503,
      entry_ids: ['e-1'],
    });
  });

  it('records nothing for a bulk call of no keys', () => {
    sut.forKeys([]);
    expect(sut.record(true, 200)).toBeUndefined();
  });
});
