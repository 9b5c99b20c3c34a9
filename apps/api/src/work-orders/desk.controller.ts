import { Body, Controller, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { WorkOrderIntake } from '@sc/core/work-orders/work-order-intake.service';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import { DeskRequestDto, VisitDto } from './dto/work-order-requests.dto';
import { OpenedWorkOrderView, toWorkOrderView } from './dto/work-order.view';

/** One-window intake (一窗受理) and appointment home visits (预约上门). */
@ApiTags('one-window desk 一窗受理')
@ApiBadRequestResponse({ type: ErrorBody })
@Controller()
export class DeskController {
  constructor(private readonly intake: WorkOrderIntake) {}

  @Post('desk/requests')
  @RequirePermission(Permission.WorkOrdersReport)
  @ApiOperation({
    summary: "Register a resident's request at the desk: you own it until it is closed (首问负责); complete documents → 8 minutes",
    description: 'The resident contact (phone or ID number) is stored only as a keyed-hash pseudonym.',
  })
  @ApiCreatedResponse({ type: OpenedWorkOrderView })
  @ApiForbiddenResponse({ type: ErrorBody, description: 'Not a community worker of that community' })
  async deskRequest(@CurrentPrincipal() principal: Principal, @Body() body: DeskRequestDto): Promise<OpenedWorkOrderView> {
    const result = await this.intake.deskRequest(principal, body);
    return { ...toWorkOrderView(result.order), attached: result.attached };
  }

  @Post('visits')
  @RequirePermission(Permission.WorkOrdersReport)
  @ApiOperation({ summary: 'Book a home visit: routed to the grid worker of the grid (or the desk); resolve deadline counts from the visit time' })
  @ApiCreatedResponse({ type: OpenedWorkOrderView })
  async visit(@CurrentPrincipal() principal: Principal, @Body() body: VisitDto): Promise<OpenedWorkOrderView> {
    const result = await this.intake.visit(principal, body);
    return { ...toWorkOrderView(result.order), attached: result.attached };
  }
}
