import { ErrorCode } from '../../common/errors/error-code.enum';
import { KvException } from '../../common/errors/kv.exception';
import { checkRevision } from './revision-guard';

/** The exception checkRevision throws, or undefined. */
function thrown(revision: number, guard: Parameters<typeof checkRevision>[1]) {
  try {
    checkRevision(revision, guard);
    return undefined;
  } catch (error) {
    return error as KvException;
  }
}

describe('checkRevision', () => {
  it('lets an import through with no guard, or guards the revision matches', () => {
    expect(thrown(0, {})).toBeUndefined();
    expect(thrown(4, { expectedRevision: 4 })).toBeUndefined();
    for (const ifMatch of ['"4"', 'W/"4"', '*', '"1", "4"']) {
      expect(thrown(4, { ifMatch })).toBeUndefined();
    }
  });

  it('answers expectedRevision 409 REVISION_CONFLICT carrying the current revision', () => {
    const sut = thrown(5, { expectedRevision: 4 });
    expect(sut).toMatchObject({ code: ErrorCode.REVISION_CONFLICT, revision: 5 });
    expect(sut?.detail).toBe('expected revision 4, the namespace is at 5; nothing was written');
  });

  it('answers If-Match 412 PRECONDITION_FAILED carrying the current revision, before expectedRevision', () => {
    for (const ifMatch of ['"4"', '4', 'garbage', '']) {
      expect(thrown(5, { ifMatch, expectedRevision: 4 })).toMatchObject({
        code: ErrorCode.PRECONDITION_FAILED,
        revision: 5,
      });
    }
  });
});
