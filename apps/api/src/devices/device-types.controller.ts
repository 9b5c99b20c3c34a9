import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DeviceTypeSpec } from '@sc/core/devices/device-type';
import { DEVICE_TYPES, getDeviceType } from '@sc/core/devices/device-types.catalogue';
import { Permission } from '@sc/core/identity/roles';
import { DomainError } from '@sc/core/shared/domain-error';
import { RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import { DeviceTypeView } from './dto/device-type.view';

/** The device-type catalogue: the same for every tenant, so any reader of devices may see it. */
@ApiTags('devices 设备')
@Controller('device-types')
export class DeviceTypesController {
  @Get()
  @RequirePermission(Permission.DevicesRead)
  @ApiOperation({ summary: 'Device types with heartbeat, telemetry fields, event types and default rules (设备类型)' })
  @ApiOkResponse({ type: [DeviceTypeView] })
  list(): readonly DeviceTypeSpec[] {
    return DEVICE_TYPES;
  }

  @Get(':code')
  @RequirePermission(Permission.DevicesRead)
  @ApiOkResponse({ type: DeviceTypeView })
  @ApiNotFoundResponse({ type: ErrorBody })
  get(@Param('code') code: string): DeviceTypeSpec {
    const type = getDeviceType(code);
    if (!type) throw DomainError.notFound('device type', code);
    return type;
  }
}
