import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DevelopmentTokenService } from './development-token.service';
import { PermissionsGuard } from './permissions.guard';
import { signingSecretProvider } from './signing-secret.provider';
import { TokenVerifier } from './token-verifier.service';

@Global()
@Module({
  providers: [
    signingSecretProvider,
    TokenVerifier,
    DevelopmentTokenService,
    { provide: APP_GUARD, useClass: PermissionsGuard },
  ],
  exports: [DevelopmentTokenService],
})
export class PermissionsModule {}
