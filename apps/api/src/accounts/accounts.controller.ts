import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AccountsService } from '@sc/core/identity/accounts.service';
import { Principal } from '@sc/core/identity/principal';
import { RoleGrantsService } from '@sc/core/identity/role-grants.service';
import { Permission } from '@sc/core/identity/roles';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import { AccountPage, AccountView, RoleGrantView, toAccountView, toGrantView } from './dto/account.view';
import { CreateAccountDto } from './dto/create-account.dto';
import { GrantRoleDto } from './dto/grant-role.dto';
import { ListAccountsQuery } from './dto/list-accounts.query';
import { ResetPasswordDto, UpdateAccountDto } from './dto/update-account.dto';

@ApiTags('accounts 账号')
@ApiNotFoundResponse({ type: ErrorBody, description: 'No such account in your scope' })
@Controller('accounts')
export class AccountsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly grants: RoleGrantsService,
  ) {}

  @Post()
  @RequirePermission(Permission.AccountsWrite)
  @ApiOperation({ summary: 'Create an account with its first roles (开通账号)' })
  @ApiCreatedResponse({ type: AccountView })
  @ApiBadRequestResponse({ type: ErrorBody })
  @ApiConflictResponse({ type: ErrorBody, description: 'Username taken' })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateAccountDto): Promise<AccountView> {
    return toAccountView(await this.accounts.create(principal, body));
  }

  @Get()
  @RequirePermission(Permission.AccountsRead)
  @ApiOperation({ summary: 'Accounts with a role inside your scope' })
  @ApiOkResponse({ type: AccountPage })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListAccountsQuery): Promise<AccountPage> {
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    const page = await this.accounts.list(principal, { limit, offset, q: query.q, orgUnitId: query.orgUnitId });
    return { items: page.items.map(toAccountView), total: page.total, limit, offset };
  }

  @Get(':id')
  @RequirePermission(Permission.AccountsRead)
  @ApiOkResponse({ type: AccountView })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AccountView> {
    return toAccountView(await this.accounts.get(principal, id));
  }

  @Patch(':id')
  @RequirePermission(Permission.AccountsWrite)
  @ApiOperation({ summary: 'Change the display name or the roster / party links' })
  @ApiOkResponse({ type: AccountView })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateAccountDto,
  ): Promise<AccountView> {
    return toAccountView(await this.accounts.update(principal, id, body));
  }

  @Post(':id/disable')
  @HttpCode(200)
  @RequirePermission(Permission.AccountsWrite)
  @ApiOperation({ summary: 'Disable: the account is refused from its next request on (停用)' })
  @ApiOkResponse({ type: AccountView })
  async disable(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AccountView> {
    return toAccountView(await this.accounts.setActive(principal, id, false));
  }

  @Post(':id/enable')
  @HttpCode(200)
  @RequirePermission(Permission.AccountsWrite)
  @ApiOperation({ summary: 'Enable again (启用)' })
  @ApiOkResponse({ type: AccountView })
  async enable(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AccountView> {
    return toAccountView(await this.accounts.setActive(principal, id, true));
  }

  @Post(':id/password')
  @HttpCode(204)
  @RequirePermission(Permission.AccountsWrite)
  @ApiOperation({ summary: "Reset someone else's password (重置密码)" })
  @ApiNoContentResponse()
  async resetPassword(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ResetPasswordDto,
  ): Promise<void> {
    await this.accounts.resetPassword(principal, id, body.password);
  }

  @Post(':id/roles')
  @RequirePermission(Permission.AccountsWrite)
  @ApiOperation({ summary: 'Grant a role anchored inside your scope (授权)' })
  @ApiCreatedResponse({ type: RoleGrantView })
  @ApiBadRequestResponse({ type: ErrorBody, description: 'Anchor missing or of the wrong kind or level' })
  @ApiConflictResponse({ type: ErrorBody, description: 'The account already holds this role here' })
  async grant(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: GrantRoleDto,
  ): Promise<RoleGrantView> {
    return toGrantView(await this.grants.grant(principal, id, body));
  }

  @Delete(':id/roles/:grantId')
  @HttpCode(204)
  @RequirePermission(Permission.AccountsWrite)
  @ApiOperation({ summary: 'Revoke a role; it stops working at the next request (撤销授权)' })
  @ApiNoContentResponse()
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('grantId', ParseUUIDPipe) grantId: string,
  ): Promise<void> {
    await this.grants.revoke(principal, id, grantId);
  }
}
