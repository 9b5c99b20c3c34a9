import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DeliveryTargetsService } from '@sc/core/delivery/delivery-targets.service';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import { toPageView } from '../http/common.dto';
import { CreateDeliveryTargetDto, ListDeliveryTargetsQuery, RotateSecretDto, UpdateDeliveryTargetDto } from './dto/delivery-target.dto';
import {
  DeliveryTargetPage,
  DeliveryTargetView,
  DeliveryTargetWithSecretView,
  toDeliveryTargetView,
  toDeliveryTargetWithSecretView,
} from './dto/delivery-target.view';

@ApiTags('delivery 推送')
@ApiNotFoundResponse({ type: ErrorBody, description: 'No such target in your scope' })
@Controller('delivery-targets')
export class DeliveryTargetsController {
  constructor(private readonly targets: DeliveryTargetsService) {}

  @Post()
  @RequirePermission(Permission.DeliveryWrite)
  @ApiOperation({ summary: 'Add a delivery target (signed webhook, WeCom or DingTalk robot); a webhook\'s secret is in this response only' })
  @ApiCreatedResponse({ type: DeliveryTargetWithSecretView })
  @ApiBadRequestResponse({ type: ErrorBody })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateDeliveryTargetDto): Promise<DeliveryTargetWithSecretView> {
    return toDeliveryTargetWithSecretView(await this.targets.create(principal, body));
  }

  @Get()
  @RequirePermission(Permission.WorkOrdersRead)
  @ApiOperation({ summary: 'Delivery targets in your scope' })
  @ApiOkResponse({ type: DeliveryTargetPage })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListDeliveryTargetsQuery): Promise<DeliveryTargetPage> {
    return toPageView(await this.targets.list(principal, query), toDeliveryTargetView);
  }

  @Get(':id')
  @RequirePermission(Permission.WorkOrdersRead)
  @ApiOkResponse({ type: DeliveryTargetView })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<DeliveryTargetView> {
    return toDeliveryTargetView(await this.targets.get(principal, id));
  }

  @Patch(':id')
  @RequirePermission(Permission.DeliveryWrite)
  @ApiOperation({ summary: 'Rename, move, retune or disable a target (a disabled target\'s deliveries go to the dead-letter queue)' })
  @ApiOkResponse({ type: DeliveryTargetView })
  @ApiBadRequestResponse({ type: ErrorBody })
  async update(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateDeliveryTargetDto): Promise<DeliveryTargetView> {
    return toDeliveryTargetView(await this.targets.update(principal, id, body));
  }

  @Delete(':id')
  @RequirePermission(Permission.DeliveryWrite)
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.targets.remove(principal, id);
  }

  @Post(':id/rotate-secret')
  @RequirePermission(Permission.DeliveryWrite)
  @ApiOperation({ summary: 'Replace the signing secret; the old one stops working at once (a webhook\'s new secret is in this response only)' })
  @ApiCreatedResponse({ type: DeliveryTargetWithSecretView })
  @ApiBadRequestResponse({ type: ErrorBody, description: 'WeCom robots have no secret; DingTalk needs the new one in the body' })
  async rotateSecret(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RotateSecretDto,
  ): Promise<DeliveryTargetWithSecretView> {
    return toDeliveryTargetWithSecretView(await this.targets.rotateSecret(principal, id, body.secret));
  }
}
