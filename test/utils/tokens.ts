import { ALL_PERMISSIONS, KvPermission } from '../../src/permissions/kv-permission.enum';
import { mintToken } from '../../src/permissions/token-minter';

export interface TokenOptions {
  sub?: string;
  permissions?: readonly string[];
  applications?: readonly string[];
  ttlSeconds?: number;
  issuer?: string;
  audience?: string;
}

/** Mints test tokens with the service's HS256 secret; defaults: every permission, every application. */
export class Tokens {
  constructor(readonly secret: string) {}

  mint(options: TokenOptions = {}): Promise<string> {
    return mintToken(this.secret, {
      sub: options.sub ?? 'test-admin',
      permissions: [...(options.permissions ?? ALL_PERMISSIONS)],
      applications: [...(options.applications ?? ['*'])],
      ttlSeconds: options.ttlSeconds ?? 600,
      issuer: options.issuer,
      audience: options.audience,
    });
  }

  /** A token with exactly these permissions on these applications. */
  only(
    permissions: KvPermission[],
    applications: string[] = ['*'],
    sub = 'test-user',
  ): Promise<string> {
    return this.mint({ sub, permissions, applications });
  }
}
