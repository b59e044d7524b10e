import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { KvConfig } from '../config/kv-config.types';
import { saveAdminToken } from './admin-token-file';
import { ALL_PERMISSIONS } from './kv-permission.enum';
import { ALL_APPLICATIONS } from './principal';
import { SIGNING_SECRET, SigningSecret } from './signing-secret.provider';
import { mintToken } from './token-minter';

const ADMIN_TOKEN_TTL_SECONDS = 7 * 24 * 3600;

/** In embedded mode without auth settings: an admin token for the developer, like a dev server prints. */
@Injectable()
export class DevelopmentTokenService {
  constructor(
    @Inject(SIGNING_SECRET) private readonly signing: SigningSecret,
    private readonly config: ConfigService<KvConfig, true>,
  ) {}

  /**
   * A fresh admin token (all permissions, all applications), saved in KV_DATA_DIR; undefined
   * outside development.
   */
  async issueAdminToken(): Promise<{ token: string; path: string } | undefined> {
    if (!this.signing.development || this.signing.secret === undefined) {
      return undefined;
    }
    const token = await mintToken(this.signing.secret, {
      sub: 'admin',
      permissions: [...ALL_PERMISSIONS],
      applications: [ALL_APPLICATIONS],
      ttlSeconds: ADMIN_TOKEN_TTL_SECONDS,
      issuer: this.config.get('auth.issuer', { infer: true }),
      audience: this.config.get('auth.audience', { infer: true }),
    });
    const path = saveAdminToken(this.config.get('database.dataDir', { infer: true }), token);
    return { token, path };
  }
}
