import { MAX_JSON_DEPTH, jsonShapeProblem } from './json-shape';

const nested = (depth: number, leaf: unknown = 1): unknown =>
  Array.from({ length: depth }).reduce<unknown>((inner) => [inner], leaf);

describe('jsonShapeProblem', () => {
  const sut = jsonShapeProblem;

  it.each([
    ['a scalar', 'x'],
    ['a set body', { value: { a: [1, 'b', null, true] }, valueType: 'JSON' }],
    ['the deepest nesting allowed', nested(MAX_JSON_DEPTH)],
    ['extreme finite numbers', { value: [Number.MAX_VALUE, -Number.MIN_VALUE, -0] }],
  ])('accepts %s', (_case, body) => {
    expect(sut(body)).toBeUndefined();
  });

  it('rejects nesting one level deeper, naming the top-level field', () => {
    expect(sut({ value: nested(MAX_JSON_DEPTH) })).toEqual({
      field: 'value',
      message: expect.stringContaining(`more than ${MAX_JSON_DEPTH} levels`),
    });
    expect(sut(nested(MAX_JSON_DEPTH + 1))?.field).toBe('body');
  });

  it('walks nesting far deeper than the stack allows', () => {
    expect(sut({ metadata: nested(200_000) })?.field).toBe('metadata');
  });

  it.each([Infinity, -Infinity, NaN])('rejects %p anywhere, naming the top-level field', (n) => {
    expect(sut({ entries: [{ value: { a: [n] } }] })).toEqual({
      field: 'entries',
      message: 'must not hold a number beyond the range of a double',
    });
  });
});
