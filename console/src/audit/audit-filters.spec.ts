import { AuditAction } from '../../../src/audit/audit-action.enum';
import { AUDIT_ACTIONS } from './audit-filters.js';

describe('AUDIT_ACTIONS', () => {
  it('offers every action the audit log records, each once', () => {
    expect([...AUDIT_ACTIONS].sort()).toEqual(Object.values(AuditAction).sort());
    expect(AUDIT_ACTIONS).toEqual(expect.arrayContaining(['SNAPSHOT_CREATE', 'WATCH']));
  });
});
