import { etagOf, tagsMatch } from './entity-tags';

describe('entity tags', () => {
  it('quotes the version', () => {
    expect(etagOf(7)).toBe('"7"');
  });

  it.each([
    ['"3"', 3, true],
    ['"2", "3"', 3, true],
    ['W/"3"', 3, true],
    ['*', 3, true],
    ['"4"', 3, false],
    ['3', 3, false],
    ['"03"', 3, false],
    ['garbage', 3, false],
    ['*', undefined, false],
    ['"1"', undefined, false],
  ])('%p against version %p: %p', (header, version, expected) => {
    expect(tagsMatch(header, version)).toBe(expected);
  });
});
