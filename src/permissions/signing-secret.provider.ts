import { ConfigService } from '@nestjs/config';
import type { KvConfig } from '../config/kv-config.types';
import { loadOrCreateDevelopmentSecret } from './development-secret';

export const SIGNING_SECRET = Symbol('SIGNING_SECRET');

/** The HS256 secret, if any: AUTH_JWT_SECRET, or the embedded one when no auth is configured. */
export interface SigningSecret {
  secret: string | undefined;
  /** True when the secret is the embedded development one. */
  development: boolean;
}

export const signingSecretProvider = {
  provide: SIGNING_SECRET,
  inject: [ConfigService],
  useFactory: (config: ConfigService<KvConfig, true>): SigningSecret => {
    const auth = config.get('auth', { infer: true });
    if (auth.jwtSecret !== undefined || auth.jwksUrl !== undefined) {
      return { secret: auth.jwtSecret, development: false };
    }
    // Config lets only embedded mode start without auth settings.
    const dataDir = config.get('database.dataDir', { infer: true });
    return { secret: loadOrCreateDevelopmentSecret(dataDir), development: true };
  },
};
