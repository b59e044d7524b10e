// `/entries/.`, `/entries/a/..` and `/entries/..` reach us as `/entries/` or `/{nsId}/`:
// HTTP clients remove dot segments before sending (RFC 3986 §5.2.4). No route takes them.
const KEYLESS_ENTRY_PATH =
  /^\/api\/v1\/kv\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/(entries\/?)?(\?.*)?$/i;

/**
 * True when an unrouted request named an entry without a key: a key that was empty or made
 * of `.` and `..` segments, which is invalid like any other bad key (400, not 404).
 */
export function isKeylessEntryPath(method: string, url: string): boolean {
  // GET /{nsId}/entries lists the entries: it is routed, never asked here.
  return method !== 'HEAD' && method !== 'OPTIONS' && KEYLESS_ENTRY_PATH.test(url);
}
