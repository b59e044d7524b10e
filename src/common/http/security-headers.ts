import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { HelmetOptions } from 'helmet';

/**
 * Helmet's response headers, computed once at boot. They depend on the options only (no CSP
 * nonces are used), and running helmet's middleware per request cost about a quarter of the
 * CPU of a whole request on this service (measured with npm run bench's method).
 */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  let completed = false;
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => {
    completed = true;
  });
  if (!completed) {
    throw new Error('helmet did not produce its headers synchronously');
  }
  return headers;
}
