import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ApiEnv, APP_ENV } from '@sc/config';
import { DomainError } from '@sc/core/shared/domain-error';

interface AccessTokenClaims {
  sub: string;
  typ: 'access';
  /** Issued-at in milliseconds: `iat` has whole seconds, too coarse to order against a password change. */
  ims: number;
}

export interface VerifiedToken {
  accountId: string;
  /** Milliseconds since the epoch. */
  issuedAt: number;
}

/** Short-lived signed access tokens; roles are re-read per request, so revocation is immediate. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_ENV) private readonly env: ApiEnv,
  ) {}

  async issue(accountId: string): Promise<{ accessToken: string; expiresIn: number }> {
    const claims: AccessTokenClaims = { sub: accountId, typ: 'access', ims: Date.now() };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.env.JWT_TTL_SECONDS });
    return { accessToken, expiresIn: this.env.JWT_TTL_SECONDS };
  }

  async verify(token: string): Promise<VerifiedToken> {
    try {
      const claims = await this.jwt.verifyAsync<AccessTokenClaims>(token, { algorithms: ['HS256'] });
      if (claims.typ !== 'access' || typeof claims.sub !== 'string' || typeof claims.ims !== 'number') {
        throw new Error('not an access token');
      }
      return { accountId: claims.sub, issuedAt: claims.ims };
    } catch (error: unknown) {
      throw new DomainError('unauthenticated', 'invalid or expired token', [], { cause: error });
    }
  }
}
