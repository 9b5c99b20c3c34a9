import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeysService } from '@sc/core/identity/api-keys.service';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import { ApiKeyView, CreateApiKeyDto, CreatedApiKeyView, ListApiKeysQuery, toApiKeyView } from './dto/api-key.dto';

@ApiTags('api-keys 接入密钥')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @RequirePermission(Permission.ApiKeysWrite)
  @ApiOperation({ summary: "Create a key for a property company's system; the key is returned this once only" })
  @ApiCreatedResponse({ type: CreatedApiKeyView })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiKeyDto): Promise<CreatedApiKeyView> {
    const { apiKey, key } = await this.apiKeys.create(principal, body);
    return { ...toApiKeyView(apiKey), key };
  }

  @Get()
  @RequirePermission(Permission.ApiKeysWrite)
  @ApiOperation({ summary: 'Keys of the companies in your scope (without secrets)' })
  @ApiOkResponse({ type: [ApiKeyView] })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListApiKeysQuery): Promise<ApiKeyView[]> {
    return (await this.apiKeys.list(principal, query)).map(toApiKeyView);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission(Permission.ApiKeysWrite)
  @ApiOperation({ summary: 'Revoke a key; it is refused from its next request on' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorBody })
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.apiKeys.revoke(principal, id);
  }
}
