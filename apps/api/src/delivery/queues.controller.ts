import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import { PageQueryDto } from '../http/common.dto';
import { DeadLetterPage, QueuesView, RedriveView } from './dto/queue.view';
import { QueuesAdmin } from './queues-admin.service';

@ApiTags('queues 队列')
@Controller('queues')
export class QueuesController {
  constructor(private readonly admin: QueuesAdmin) {}

  @Get()
  @RequirePermission(Permission.QueuesAdmin)
  @ApiOperation({ summary: 'Jobs per queue: waiting, active, delayed, failed' })
  @ApiOkResponse({ type: QueuesView })
  async counts(@CurrentPrincipal() principal: Principal): Promise<QueuesView> {
    return { queues: await this.admin.counts(principal) };
  }

  @Get('dead-letter')
  @RequirePermission(Permission.QueuesAdmin)
  @ApiOperation({ summary: 'Jobs that used up their attempts, oldest first' })
  @ApiOkResponse({ type: DeadLetterPage })
  async deadLetters(@CurrentPrincipal() principal: Principal, @Query() query: PageQueryDto): Promise<DeadLetterPage> {
    return this.admin.deadLetters(principal, query);
  }

  @Post('dead-letter/:id/redrive')
  @RequirePermission(Permission.QueuesAdmin)
  @HttpCode(200)
  @ApiOperation({ summary: 'Run a dead job again (a dead delivery becomes pending); the entry leaves the dead-letter queue' })
  @ApiOkResponse({ type: RedriveView })
  @ApiNotFoundResponse({ type: ErrorBody, description: 'No such dead-letter entry' })
  async redrive(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<RedriveView> {
    return this.admin.redrive(principal, id);
  }
}
