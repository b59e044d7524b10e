/**
 * The sub-resources of an entry each method has, named by the last segment of its path: a
 * key ending in such a segment must send its slashes as %2F to be taken as the key.
 */
const SUB_RESOURCES: Readonly<Record<string, readonly string[]>> = {
  GET: ['versions'],
  HEAD: ['versions'],
  POST: ['rotate', 'rollback', 'restore'],
};
const NONE: readonly string[] = [];
/** One version of an entry, `…/versions/<n>`: two segments after the key. */
const VERSION_N = /\/versions\/\d+$/;

const ENTRY_PATH = /^(\/api\/v1\/kv\/[^/?]+\/entries\/)([^?]*\/[^?]*)(\?.*)?$/s;

/**
 * The URL of a request with the slashes of its entry key percent-encoded, before routing: each
 * entry route takes the key as one path parameter, and clients may send `config/db/host` as
 * well as `config%2Fdb%2Fhost` (the documented form). A last segment that names a sub-resource
 * of the method (`…/versions`, `…/rotate`) stays one, and so does `…/versions/<n>` of GET. Any other URL comes back as it was.
 */
export function encodeEntryKeySlashes(method: string, url: string): string {
  const match = ENTRY_PATH.exec(url);
  if (match === null) {
    return url;
  }
  const [, base, path, query = ''] = match;
  const version = method === 'GET' || method === 'HEAD' ? VERSION_N.exec(path) : null;
  if (version !== null && version.index > 0) {
    return `${base}${path.slice(0, version.index).replaceAll('/', '%2F')}${version[0]}${query}`;
  }
  const slash = path.lastIndexOf('/');
  const sub = path.slice(slash + 1);
  const named = slash > 0 && (SUB_RESOURCES[method] ?? NONE).includes(sub);
  const key = named ? path.slice(0, slash) : path;
  return `${base}${key.replaceAll('/', '%2F')}${named ? `/${sub}` : ''}${query}`;
}
