import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { DeviceCredentialsService } from '@sc/core/devices/device-credentials.service';
import { DevicesService } from '@sc/core/devices/devices.service';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import { DevicePage, DeviceView, DeviceWithSecretView, toDeviceView, toDeviceWithSecretView } from './dto/device.view';
import { ListDevicesQuery } from './dto/list-devices.query';
import { ProvisionDeviceDto, UpdateDeviceDto } from './dto/provision-device.dto';

@ApiTags('devices 设备')
@ApiNotFoundResponse({ type: ErrorBody, description: 'No such device in your scope' })
@Controller('devices')
export class DevicesController {
  constructor(
    private readonly devices: DevicesService,
    private readonly credentials: DeviceCredentialsService,
  ) {}

  @Post()
  @RequirePermission(Permission.DevicesWrite)
  @ApiOperation({ summary: 'Provision a device (设备登记); the response holds its MQTT secret, shown once' })
  @ApiCreatedResponse({ type: DeviceWithSecretView })
  @ApiBadRequestResponse({ type: ErrorBody, description: 'Unknown type, or a placement that does not fit (the field is named)' })
  @ApiConflictResponse({ type: ErrorBody, description: 'Code taken' })
  async provision(@CurrentPrincipal() principal: Principal, @Body() body: ProvisionDeviceDto): Promise<DeviceWithSecretView> {
    return toDeviceWithSecretView(await this.devices.provision(principal.scope, body));
  }

  @Get()
  @RequirePermission(Permission.DevicesRead)
  @ApiOperation({ summary: 'Devices in your scope, filtered and paged' })
  @ApiOkResponse({ type: DevicePage })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListDevicesQuery): Promise<DevicePage> {
    const page = await this.devices.list(principal.scope, query);
    return { ...page, items: page.items.map(toDeviceView) };
  }

  @Get(':id')
  @RequirePermission(Permission.DevicesRead)
  @ApiOkResponse({ type: DeviceView })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<DeviceView> {
    return toDeviceView(await this.devices.get(principal.scope, id));
  }

  @Patch(':id')
  @RequirePermission(Permission.DevicesWrite)
  @ApiOperation({ summary: 'Move a device or change its name, location, vendor data (null clears)' })
  @ApiOkResponse({ type: DeviceView })
  @ApiBadRequestResponse({ type: ErrorBody })
  async update(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateDeviceDto): Promise<DeviceView> {
    return toDeviceView(await this.devices.update(principal.scope, id, body));
  }

  @Post(':id/credentials')
  @RequirePermission(Permission.DevicesWrite)
  @ApiOperation({ summary: 'Issue a new MQTT secret (shown once); the old one stops working at once' })
  @ApiCreatedResponse({ type: DeviceWithSecretView })
  async rotate(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<DeviceWithSecretView> {
    return toDeviceWithSecretView(await this.credentials.rotate(principal.scope, id));
  }

  @Post(':id/disable')
  @RequirePermission(Permission.DevicesWrite)
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable a device: it can no longer connect' })
  @ApiOkResponse({ type: DeviceView })
  async disable(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<DeviceView> {
    return toDeviceView(await this.devices.setEnabled(principal.scope, id, false));
  }

  @Post(':id/enable')
  @RequirePermission(Permission.DevicesWrite)
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a disabled device' })
  @ApiOkResponse({ type: DeviceView })
  async enable(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<DeviceView> {
    return toDeviceView(await this.devices.setEnabled(principal.scope, id, true));
  }
}
