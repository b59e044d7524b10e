import { ValueType } from '../model/value-type.enum';
import type { BulkWriteItem } from '../store/bulk-entry-writer.service';
import { ImportTarget, planImport } from './import-plan';

const item = (key: string, value: unknown, valueType = ValueType.STRING): BulkWriteItem => ({
  key,
  valueType,
  serialized: JSON.stringify(value),
  metadata: null,
  ttlSeconds: undefined,
});
const target = (
  key: string,
  value: unknown,
  version: number,
  alive = true,
  valueType = ValueType.STRING,
): ImportTarget => ({ key, version, alive, valueType, value: JSON.stringify(value) });

describe('planImport', () => {
  const items = [item('NEW', 'a'), item('SAME', 'b'), item('CHANGED', 'c'), item('BACK', 'd')];
  const found = [
    target('SAME', 'b', 3),
    target('CHANGED', 'old', 2),
    target('BACK', 'd', 5, false),
    target('EXTRA', 'x', 7),
    target('GONE', 'y', 4, false),
  ];

  it('creates, updates and keeps by value and type, continuing after a tombstone', () => {
    const sut = planImport(items, found, false);
    expect(sut).toEqual({
      created: [
        { key: 'NEW', version: 1 },
        { key: 'BACK', version: 6 },
      ],
      updated: [{ key: 'CHANGED', version: 3, previousVersion: 2 }],
      unchanged: [{ key: 'SAME', version: 3 }],
      deleted: [],
      writes: [items[0], items[2], items[3]],
    });
  });

  it('with prune deletes the live keys the document does not name', () => {
    expect(planImport(items, found, true).deleted).toEqual([{ key: 'EXTRA', version: 7 }]);
  });

  it('counts a change of type as an update, and equal JSON of another spelling as the same', () => {
    const sut = planImport(
      [item('N', 1, ValueType.NUMBER), item('J', { a: 1 }, ValueType.JSON)],
      [target('N', '1', 1), { ...target('J', 0, 2, true, ValueType.JSON), value: '{ "a": 1 }' }],
      false,
    );
    expect(sut.updated.map((u) => u.key)).toEqual(['N']);
    expect(sut.unchanged).toEqual([{ key: 'J', version: 2 }]);
  });
});
