import { encodeEntryKeySlashes } from './entry-key-url';

const NS = '/api/v1/kv/0b6b7f53-3f7a-4b55-9a43-1f1c8f0f7a10';

describe('encodeEntryKeySlashes', () => {
  it.each([
    ['GET', '/entries/config/db/host', '/entries/config%2Fdb%2Fhost'],
    ['GET', '/entries/config/db/host?x=1', '/entries/config%2Fdb%2Fhost?x=1'],
    ['GET', '/entries/config/db/versions', '/entries/config%2Fdb/versions'],
    ['GET', '/entries/config/db/versions?limit=1', '/entries/config%2Fdb/versions?limit=1'],
    ['PUT', '/entries/config/db/versions', '/entries/config%2Fdb%2Fversions'],
    ['GET', '/entries/config/db/versions/12', '/entries/config%2Fdb/versions/12'],
    ['GET', '/entries/db/versions/3?x=1', '/entries/db/versions/3?x=1'],
    ['PUT', '/entries/db/versions/3', '/entries/db%2Fversions%2F3'],
    ['GET', '/entries/db/versions/x', '/entries/db%2Fversions%2Fx'],
    ['POST', '/entries/a/b/rotate', '/entries/a%2Fb/rotate'],
    ['POST', '/entries/a/b/rollback', '/entries/a%2Fb/rollback'],
    ['POST', '/entries/a/b/restore', '/entries/a%2Fb/restore'],
    ['POST', '/entries/a/b', '/entries/a%2Fb'],
    ['GET', '/entries/a/b/rotate', '/entries/a%2Fb%2Frotate'],
    ['DELETE', '/entries/a/b%3Fc/d', '/entries/a%2Fb%3Fc%2Fd'],
    ['GET', '/entries/a%2Fb/c', '/entries/a%2Fb%2Fc'],
    ['GET', '/entries/a/', '/entries/a%2F'],
    ['GET', '/entries//a', '/entries/%2Fa'],
  ])('%s %s → %s', (method, path, expected) => {
    expect(encodeEntryKeySlashes(method, `${NS}${path}`)).toBe(`${NS}${expected}`);
  });

  it.each([
    ['GET', `${NS}/entries/plain`],
    ['GET', `${NS}/entries/plain%2Fversions`],
    ['GET', `${NS}/entries`],
    ['GET', `${NS}/entries/?prefix=a/b`],
    ['GET', `${NS}/entries?prefix=a/b`],
    ['POST', `${NS}/bulk/get`],
    ['GET', '/api/v1/kv/namespaces/x/y'],
    ['GET', `${NS}/entries/versions`],
  ])('leaves %s %s alone', (method, url) => {
    expect(encodeEntryKeySlashes(method, url)).toBe(url);
  });
});
