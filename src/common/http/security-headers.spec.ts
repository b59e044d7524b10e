import { securityHeaders } from './security-headers';

describe('securityHeaders', () => {
  it("captures helmet's headers once, with the options applied", () => {
    const sut = securityHeaders({
      contentSecurityPolicy: {
        directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'", "'unsafe-inline'"] },
      },
    });
    expect(sut['x-content-type-options']).toBe('nosniff');
    expect(sut['x-frame-options']).toBe('SAMEORIGIN');
    expect(sut['strict-transport-security']).toContain('max-age=');
    expect(sut['content-security-policy']).toContain("script-src 'self' 'unsafe-inline'");
    expect(sut).not.toHaveProperty('x-powered-by');
  });
});
