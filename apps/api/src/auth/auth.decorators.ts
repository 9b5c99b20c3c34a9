import { createParamDecorator, ExecutionContext, SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Permission } from '@sc/core/identity/roles';
import { Principal } from '@sc/core/identity/principal';
import { ErrorBody } from '../http/error-body';

export const PUBLIC_ROUTE = 'sc:public';
export const REQUIRED_PERMISSION = 'sc:permission';
export const AUTHENTICATED_ONLY = 'sc:authenticated';

/** No authentication: login, health. Anything else must say what it needs. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** The route needs this permission; the domain service then checks the target is in scope. */
export const RequirePermission = (permission: Permission): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(REQUIRED_PERMISSION, permission),
    ApiBearerAuth(),
    ApiSecurity('api-key'),
    ApiUnauthorizedResponse({ type: ErrorBody, description: 'No or invalid credentials' }),
    ApiForbiddenResponse({ type: ErrorBody, description: 'Missing permission or target outside scope' }),
  );

/** Any authenticated principal, acting only on itself (e.g. GET /auth/me). */
export const Authenticated = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(AUTHENTICATED_ONLY, true), ApiBearerAuth(), ApiSecurity('api-key'));

export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const req = ctx.switchToHttp().getRequest<{ principal?: Principal }>();
  if (!req.principal) throw new Error('CurrentPrincipal used on a route without authentication');
  return req.principal;
});
