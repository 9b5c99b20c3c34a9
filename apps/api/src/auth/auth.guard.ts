import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';
import { IdentityService } from '@sc/core/identity/identity.service';
import { hasPermission, Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { DomainError } from '@sc/core/shared/domain-error';
import { AUTHENTICATED_ONLY, PUBLIC_ROUTE, REQUIRED_PERMISSION } from './auth.decorators';
import { TokenService } from './token.service';

/**
 * Global guard, closed by default: a route is reachable only if it is marked @Public,
 * @Authenticated or @RequirePermission. Scope checks on the target happen in the domain.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly identity: IdentityService,
    private readonly tokens: TokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const req = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const principal = await this.authenticate(req);
    req.principal = principal;

    const permission = this.reflector.getAllAndOverride<Permission | undefined>(REQUIRED_PERMISSION, targets);
    if (permission !== undefined) {
      if (!hasPermission(principal, permission)) {
        throw DomainError.forbidden(`this action needs the permission ${permission}`);
      }
      return true;
    }
    if (this.reflector.getAllAndOverride<boolean>(AUTHENTICATED_ONLY, targets)) return true;
    throw DomainError.forbidden('route has no access rule');
  }

  private async authenticate(req: Request): Promise<Principal> {
    const apiKey = req.header('x-api-key');
    if (apiKey) return this.identity.principalForApiKey(apiKey);
    const header = req.header('authorization');
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new DomainError('unauthenticated', 'authentication required: send a bearer token or X-API-Key');
    const token = await this.tokens.verify(match[1]);
    return this.identity.principalForAccount(token.accountId, token.issuedAt);
  }
}
