import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DeliveriesService } from '@sc/core/delivery/deliveries.service';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { toPageView } from '../http/common.dto';
import { DeliveryPage, ListDeliveriesQuery, toDeliveryView } from './dto/delivery.view';

@ApiTags('delivery 推送')
@Controller('deliveries')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get()
  @RequirePermission(Permission.WorkOrdersRead)
  @ApiOperation({ summary: 'Deliveries to the targets in your scope, newest first: status, attempts, last error' })
  @ApiOkResponse({ type: DeliveryPage })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListDeliveriesQuery): Promise<DeliveryPage> {
    return toPageView(await this.deliveries.list(principal, query), toDeliveryView);
  }
}
