import { childrenOf, folderMatches, listingPrefix } from './key-tree.js';

describe('childrenOf', () => {
  it('groups the keys under a folder into its sub-folders and its own keys, in key order', () => {
    const sut = childrenOf('app/', ['app/db/host', 'app/db/port', 'app/flags/beta', 'app/pool']);
    expect(sut).toEqual([
      { kind: 'folder', path: 'app/db/', name: 'db' },
      { kind: 'folder', path: 'app/flags/', name: 'flags' },
      { kind: 'key', path: 'app/pool', name: 'pool' },
    ]);
  });

  it('lists the root, and a key that is also a folder as both', () => {
    expect(childrenOf('', ['a', 'a/b', 'c/d'])).toEqual([
      { kind: 'key', path: 'a', name: 'a' },
      { kind: 'folder', path: 'a/', name: 'a' },
      { kind: 'folder', path: 'c/', name: 'c' },
    ]);
  });

  it('ignores keys outside the folder', () => {
    expect(childrenOf('a/', ['ab', 'a/x'])).toEqual([{ kind: 'key', path: 'a/x', name: 'x' }]);
  });
});

describe('listingPrefix and folderMatches', () => {
  it('lists a folder by the filter where the filter narrows it', () => {
    expect(listingPrefix('app/', 'app/f')).toBe('app/f');
    expect(listingPrefix('app/db/', 'app/')).toBe('app/db/');
    expect(listingPrefix('', '')).toBe('');
  });

  it('shows a folder only if it can hold keys matching the filter', () => {
    expect(folderMatches('app/', 'app/f')).toBe(true);
    expect(folderMatches('app/db/', 'app/')).toBe(true);
    expect(folderMatches('app/db/', 'app/f')).toBe(false);
  });
});
