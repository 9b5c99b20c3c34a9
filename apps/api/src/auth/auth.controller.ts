import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AccountsService } from '@sc/core/identity/accounts.service';
import { IdentityService } from '@sc/core/identity/identity.service';
import { Principal } from '@sc/core/identity/principal';
import { ErrorBody } from '../http/error-body';
import { Authenticated, CurrentPrincipal, Public } from './auth.decorators';
import { ChangePasswordDto } from './dto/change-password.dto';
import { LoginDto, MeResponse, TokenResponse } from './dto/login.dto';
import { TokenService } from './token.service';

@ApiTags('auth 认证')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly identity: IdentityService,
    private readonly tokens: TokenService,
    private readonly accounts: AccountsService,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: TokenResponse })
  @ApiUnauthorizedResponse({ type: ErrorBody })
  async login(@Body() body: LoginDto): Promise<TokenResponse> {
    const principal = await this.identity.login(body.username, body.password);
    return this.tokens.issue(principal.id);
  }

  @Get('me')
  @Authenticated()
  @ApiOkResponse({ type: MeResponse })
  me(@CurrentPrincipal() principal: Principal): MeResponse {
    return {
      kind: principal.kind,
      id: principal.id,
      name: principal.name,
      grants: principal.grants.map((g) => ({ role: g.role, orgUnitId: g.orgUnitId, compoundId: g.compoundId, companyId: g.companyId })),
      permissions: [...principal.permissions].sort(),
    };
  }

  @Post('password')
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({ summary: 'Change your own password; needs the current one (修改密码)' })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ type: ErrorBody, description: 'Current password wrong, or new one too short' })
  async changePassword(@CurrentPrincipal() principal: Principal, @Body() body: ChangePasswordDto): Promise<void> {
    await this.accounts.changeOwnPassword(principal, body.currentPassword, body.newPassword);
  }
}
