import { CONSOLE_HEADERS } from './console-assets';

describe('CONSOLE_HEADERS', () => {
  it('allow scripts and styles from the service only, none inline, and no framing', () => {
    const csp = CONSOLE_HEADERS['content-security-policy'].split(';');
    expect(csp).toEqual(
      expect.arrayContaining([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
      ]),
    );
    expect(CONSOLE_HEADERS['content-security-policy']).not.toMatch(/unsafe|https:|\*/);
    expect(CONSOLE_HEADERS['x-frame-options']).toBe('DENY');
    expect(CONSOLE_HEADERS['x-content-type-options']).toBe('nosniff');
  });
});
