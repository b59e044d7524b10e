import type { IncomingHttpHeaders } from 'node:http';

/** True when the request's headers announce a body (a length above 0, or a chunked one). */
export function announcesBody(headers: IncomingHttpHeaders): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
