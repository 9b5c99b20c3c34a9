import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CompoundBoardService } from '@sc/core/meetings/compound-board.service';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import { BoardQueryDto, CompoundBoardView, IssueHistoryView, toCompoundBoardView, toIssueHistoryView } from './dto/board.view';

@ApiTags("owners' committee board 业委会看板")
@ApiForbiddenResponse({ type: ErrorBody, description: 'The compound is outside your scope' })
@ApiNotFoundResponse({ type: ErrorBody })
@Controller('boards/compounds/:compoundId')
export class BoardsController {
  constructor(private readonly boards: CompoundBoardService) {}

  @Get()
  @RequirePermission(Permission.MeetingsRead)
  @ApiOperation({ summary: "A compound's board: open, overdue and resolved issues, median days to close, decisions and the progress of their action items" })
  @ApiOkResponse({ type: CompoundBoardView })
  async board(@CurrentPrincipal() principal: Principal, @Param('compoundId', ParseUUIDPipe) compoundId: string, @Query() query: BoardQueryDto): Promise<CompoundBoardView> {
    return toCompoundBoardView(await this.boards.board(principal, compoundId, query));
  }

  @Get('issues/:orderId')
  @RequirePermission(Permission.MeetingsRead)
  @ApiOperation({ summary: "One issue's history, from first report to verification, and the meetings that discussed it" })
  @ApiOkResponse({ type: IssueHistoryView })
  async issue(
    @CurrentPrincipal() principal: Principal,
    @Param('compoundId', ParseUUIDPipe) compoundId: string,
    @Param('orderId', ParseUUIDPipe) orderId: string,
  ): Promise<IssueHistoryView> {
    return toIssueHistoryView(await this.boards.issue(principal, compoundId, orderId));
  }
}
