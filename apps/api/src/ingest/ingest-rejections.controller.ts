import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { IngestRejectionsService } from '@sc/core/telemetry/ingest-rejections.service';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { toPageView } from '../http/common.dto';
import { RejectionPage, toRejectionView } from './dto/rejection.view';
import { ListRejectionsQuery } from './dto/rejections.query';

@ApiTags('ingest 接入')
@Controller('ingest')
export class IngestRejectionsController {
  constructor(private readonly rejections: IngestRejectionsService) {}

  @Get('rejections')
  @RequirePermission(Permission.IngestRead)
  @ApiOperation({
    summary: 'Refused device messages and why, newest first (拒收消息); rows not tied to a registered device only for administrators',
  })
  @ApiOkResponse({ type: RejectionPage })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListRejectionsQuery): Promise<RejectionPage> {
    const page = await this.rejections.list(principal.scope, {
      ...query,
      from: query.from !== undefined ? new Date(query.from) : undefined,
    });
    return toPageView(page, toRejectionView);
  }
}
