import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { DeviceEventsService } from '@sc/core/telemetry/device-events.service';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import { DeviceEventList, toDeviceEventView } from './dto/device-event.view';
import { DeviceEventsQuery } from './dto/device-events.query';

@ApiTags('devices 设备')
@Controller('devices')
export class DeviceEventsController {
  constructor(private readonly events: DeviceEventsService) {}

  @Get(':id/events')
  @RequirePermission(Permission.DevicesRead)
  @ApiOperation({ summary: 'Stored telemetry and events of a device, newest first (设备上报记录)' })
  @ApiOkResponse({ type: DeviceEventList })
  @ApiBadRequestResponse({ type: ErrorBody })
  @ApiNotFoundResponse({ type: ErrorBody, description: 'No such device in your scope' })
  async list(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() query: DeviceEventsQuery): Promise<DeviceEventList> {
    const { items, limit } = await this.events.list(principal.scope, id, {
      from: query.from !== undefined ? new Date(query.from) : undefined,
      to: query.to !== undefined ? new Date(query.to) : undefined,
      limit: query.limit,
    });
    return { items: items.map(toDeviceEventView), limit };
  }
}
