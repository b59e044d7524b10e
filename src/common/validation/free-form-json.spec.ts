import { plainToInstance } from 'class-transformer';
import { IsDefined, IsObject, IsOptional, validateSync } from 'class-validator';
import { FreeFormJson, outlineFreeForm, restoreFreeForm } from './free-form-json';

class Subject {
  @FreeFormJson()
  @IsDefined()
  value: unknown;

  @FreeFormJson()
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;

  @IsOptional()
  note?: { a: number };
}

// Keys that class-transformer drops or chokes on, and that Nest's pipe deletes.
const AWKWARD = {
  valueOf: 0,
  toString: 'x',
  hasOwnProperty: null,
  constructor: { a: 1 },
  prototype: [1],
  nested: { toLocaleString: 3, constructor: 'y' },
};

describe('free-form JSON properties', () => {
  const transform = (body: unknown) =>
    restoreFreeForm(Subject, body, plainToInstance(Subject, outlineFreeForm(Subject, body)));

  it('come through a transformation exactly as sent, whatever their keys', () => {
    const body = { value: [AWKWARD, 1, 'two'], metadata: AWKWARD, note: { a: 1 } };
    const sut = transform(body);
    expect(sut).toBeInstanceOf(Subject);
    expect(sut.value).toBe(body.value);
    expect(sut.metadata).toBe(body.metadata);
    expect(JSON.stringify(sut.metadata)).toBe(JSON.stringify(AWKWARD));
  });

  it('are validated by their outline: the JSON type, and the types of an array items', () => {
    expect(outlineFreeForm(Subject, { value: [AWKWARD, [1], 'a'], metadata: AWKWARD })).toEqual({
      value: [{}, [], 'a'],
      metadata: {},
    });
    expect(validateSync(transform({ value: null, metadata: [AWKWARD] }))).toEqual([
      expect.objectContaining({ property: 'value' }),
      expect.objectContaining({ property: 'metadata' }),
    ]);
  });

  it('leave absent fields undefined and other bodies alone', () => {
    expect(transform({ value: 1 }).metadata).toBeUndefined();
    expect(outlineFreeForm(Subject, [1])).toEqual([1]);
    expect(outlineFreeForm(Object, { value: AWKWARD })).toEqual({ value: AWKWARD });
  });
});
