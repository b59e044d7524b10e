import { KeyObject, createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  JWTPayload,
  JWTVerifyGetKey,
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
} from 'jose';
import { LRUCache } from 'lru-cache';
import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException } from '../common/errors/kv.exception';
import type { KvConfig } from '../config/kv-config.types';
import { Principal } from './principal';
import { SIGNING_SECRET, SigningSecret } from './signing-secret.provider';

const ASYMMETRIC = ['RS256', 'ES256'];
const MAX_TOKEN_LENGTH = 8192;
/**
 * Verified tokens are remembered until they expire, at most this long: a JWKS key withdrawn
 * by the identity provider stops opening cached tokens within this bound.
 */
const VERIFIED_TTL_MS = 5 * 60_000;
/** Total characters of cached tokens (~16 MB): a flood of distinct tokens evicts, not grows. */
const VERIFIED_MAX_CHARS = 16 * 1024 * 1024;

function unauthorized(detail: string): KvException {
  return new KvException(ErrorCode.UNAUTHORIZED, detail);
}

/** The token of a well-formed `Bearer` header, or undefined. */
function tokenOf(authorization: string | undefined): string | undefined {
  const match =
    authorization === undefined
      ? null
      : /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(authorization.trim());
  return match && match[1].length <= MAX_TOKEN_LENGTH ? match[1] : undefined;
}

/** Control characters (C0, DEL, C1): no audit row, log line or event may carry one from a token. */
const CONTROL = /\p{Cc}/u;

function cleanString(value: unknown): value is string {
  return typeof value === 'string' && value.isWellFormed() && !CONTROL.test(value);
}

function stringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/**
 * Verifies bearer tokens: HS256 against the shared secret, RS256/ES256 against the JWKS
 * (cached by jose, re-fetched when a token names an unknown `kid`). Each key source accepts
 * only its own algorithms, so `alg: none` and HS256-signed-with-a-public-key both fail.
 */
@Injectable()
export class TokenVerifier {
  private readonly secretKey?: KeyObject;
  private readonly jwks?: JWTVerifyGetKey;
  private readonly issuer?: string;
  private readonly audience?: string;
  private readonly maxTtlSeconds?: number;
  /** Signature checks are most of a cheap request's CPU; a client sends the same token often. */
  private readonly verified = new LRUCache<string, Principal>({
    maxSize: VERIFIED_MAX_CHARS,
    sizeCalculation: (_principal, token) => token.length,
  });

  constructor(
    config: ConfigService<KvConfig, true>,
    @Inject(SIGNING_SECRET) signing: SigningSecret,
  ) {
    const auth = config.get('auth', { infer: true });
    this.secretKey =
      signing.secret === undefined
        ? undefined
        : createSecretKey(Buffer.from(signing.secret, 'utf8'));
    this.jwks =
      auth.jwksUrl === undefined
        ? undefined
        : createRemoteJWKSet(new URL(auth.jwksUrl), {
            cooldownDuration: 5_000,
            cacheMaxAge: 600_000,
            timeoutDuration: 5_000,
          });
    this.issuer = auth.issuer;
    this.audience = auth.audience;
    this.maxTtlSeconds = auth.maxTtlSeconds;
  }

  /** The caller of an Authorization header already verified, if it is: no await needed. */
  known(authorization: string | undefined): Principal | undefined {
    const token = tokenOf(authorization);
    return token === undefined ? undefined : this.verified.get(token);
  }

  async verify(authorization: string | undefined): Promise<Principal> {
    const token = tokenOf(authorization);
    if (token === undefined) {
      throw unauthorized('Send a bearer token: Authorization: Bearer <JWT>');
    }
    const known = this.verified.get(token);
    if (known) {
      return known;
    }
    const payload = await this.verifySignature(token);
    const principal = this.principalOf(payload);
    // exp is required, so every cached token leaves the cache no later than it expires.
    const ttl = Math.min(payload.exp! * 1000 - Date.now(), VERIFIED_TTL_MS);
    if (ttl > 0) {
      this.verified.set(token, principal, { ttl });
    }
    return principal;
  }

  private principalOf(payload: JWTPayload): Principal {
    const { sub, permissions, applications } = payload as JWTPayload & Record<string, unknown>;
    if (!cleanString(sub) || sub.length === 0 || sub.length > 256) {
      throw unauthorized('The token has no usable sub claim');
    }
    if (!stringArray(permissions) || !stringArray(applications)) {
      throw unauthorized('The token claims permissions and applications must be arrays of strings');
    }
    if (!applications.every(cleanString)) {
      throw unauthorized('The token names an application with control characters');
    }
    const { exp, iat } = payload;
    const now = Math.floor(Date.now() / 1000);
    // From when it was issued, or from now if it claims to be issued later (or says nothing).
    if (this.maxTtlSeconds !== undefined && exp! - Math.min(iat ?? now, now) > this.maxTtlSeconds) {
      throw unauthorized(
        `The token lives longer than the ${this.maxTtlSeconds} s this service accepts`,
      );
    }
    return new Principal(sub, permissions, applications);
  }

  private async verifySignature(token: string): Promise<JWTPayload> {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw unauthorized('The bearer token is not a JWT');
    }
    const options = { issuer: this.issuer, audience: this.audience, requiredClaims: ['exp'] };
    try {
      if (alg === 'HS256' && this.secretKey) {
        return (await jwtVerify(token, this.secretKey, { ...options, algorithms: ['HS256'] }))
          .payload;
      }
      if (alg !== undefined && ASYMMETRIC.includes(alg) && this.jwks) {
        return (await jwtVerify(token, this.jwks, { ...options, algorithms: ASYMMETRIC })).payload;
      }
    } catch (error) {
      throw this.translate(error);
    }
    throw unauthorized(`Tokens signed with ${alg ?? 'no algorithm'} are not accepted`);
  }

  private translate(error: unknown): KvException {
    if (error instanceof errors.JWTExpired) {
      return unauthorized('The token has expired');
    }
    if (error instanceof errors.JWTClaimValidationFailed) {
      return unauthorized(`The token's ${error.claim} claim is not acceptable`);
    }
    if (
      error instanceof errors.JWKSNoMatchingKey ||
      error instanceof errors.JWKSMultipleMatchingKeys
    ) {
      // The set was fetched and names no such key: the token is at fault, not the provider.
      return unauthorized('The token names no signing key of the identity provider');
    }
    const keysUnavailable =
      error instanceof errors.JWKSTimeout ||
      error instanceof errors.JWKSInvalid ||
      (error instanceof errors.JOSEError && error.message.includes('JSON Web Key Set')) ||
      (error instanceof Error && !(error instanceof errors.JOSEError));
    if (keysUnavailable) {
      // The identity provider's keys could not be fetched: a retry may succeed.
      return new KvException(
        ErrorCode.SERVICE_UNAVAILABLE,
        'The token signing keys cannot be fetched; retry later',
      );
    }
    return unauthorized('The token signature is not valid');
  }
}
