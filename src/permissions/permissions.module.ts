import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { KvConfig } from '../config/kv-config.types';
import { FailedAuthLimiter } from '../rate-limit/failed-auth-limiter';
import { AuthenticationHook } from './authentication.hook';
import { DevelopmentTokenService } from './development-token.service';
import { signingSecretProvider } from './signing-secret.provider';
import { TokenVerifier } from './token-verifier.service';

@Global()
@Module({
  providers: [
    signingSecretProvider,
    TokenVerifier,
    DevelopmentTokenService,
    AuthenticationHook,
    {
      provide: FailedAuthLimiter,
      inject: [ConfigService],
      useFactory: (config: ConfigService<KvConfig, true>) => {
        const { perSecond, burst } = config.get('authFailures', { infer: true });
        return new FailedAuthLimiter(perSecond, burst);
      },
    },
  ],
  exports: [DevelopmentTokenService, FailedAuthLimiter],
})
export class PermissionsModule {}
