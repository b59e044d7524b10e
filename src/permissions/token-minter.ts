import { createSecretKey } from 'node:crypto';
import { SignJWT } from 'jose';

export interface TokenClaims {
  sub: string;
  permissions: string[];
  applications: string[];
  ttlSeconds: number;
  issuer?: string;
  audience?: string;
}

/** Signs an HS256 token with the service's secret (its UTF-8 bytes are the key). */
export function mintToken(secret: string, claims: TokenClaims): Promise<string> {
  let jwt = new SignJWT({ permissions: claims.permissions, applications: claims.applications })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(`${claims.ttlSeconds}s`);
  if (claims.issuer !== undefined) {
    jwt = jwt.setIssuer(claims.issuer);
  }
  if (claims.audience !== undefined) {
    jwt = jwt.setAudience(claims.audience);
  }
  return jwt.sign(createSecretKey(Buffer.from(secret, 'utf8')));
}
