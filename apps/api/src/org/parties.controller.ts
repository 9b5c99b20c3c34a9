import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { PartiesService } from '@sc/core/org/parties.service';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import { toPageView } from '../http/common.dto';
import {
  CreatePartyDto,
  PartyDetailView,
  PartyListQueryDto,
  PartyMemberDto,
  PartyMemberList,
  PartyMemberView,
  PartyPage,
  toPartyDetailView,
  toPartyMemberView,
  toPartyView,
  UpdatePartyDto,
  UpdatePartyMemberDto,
} from './dto/party.dto';

@ApiTags('joint-meeting parties 联席会议各方')
@Controller('parties')
export class PartiesController {
  constructor(private readonly parties: PartiesService) {}

  @Post()
  @RequirePermission(Permission.OrgWrite)
  @ApiOperation({ summary: 'Create a party of a community or compound in your scope, with its members' })
  @ApiCreatedResponse({ type: PartyDetailView })
  @ApiBadRequestResponse({ type: ErrorBody })
  @ApiConflictResponse({ type: ErrorBody, description: 'A party of this kind and name already exists there' })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreatePartyDto): Promise<PartyDetailView> {
    return toPartyDetailView(await this.parties.create(principal.scope, body));
  }

  @Get()
  @RequirePermission(Permission.OrgRead)
  @ApiOperation({ summary: 'List the parties you see' })
  @ApiOkResponse({ type: PartyPage })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: PartyListQueryDto): Promise<PartyPage> {
    return toPageView(await this.parties.list(principal.scope, query), toPartyView);
  }

  @Get(':id')
  @RequirePermission(Permission.OrgRead)
  @ApiOperation({ summary: 'Get one party with its members' })
  @ApiOkResponse({ type: PartyDetailView })
  @ApiNotFoundResponse({ type: ErrorBody })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<PartyDetailView> {
    return toPartyDetailView(await this.parties.get(principal.scope, id));
  }

  @Patch(':id')
  @RequirePermission(Permission.OrgWrite)
  @ApiOperation({ summary: 'Rename a party' })
  @ApiOkResponse({ type: PartyDetailView })
  @ApiNotFoundResponse({ type: ErrorBody })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdatePartyDto,
  ): Promise<PartyDetailView> {
    return toPartyDetailView(await this.parties.update(principal.scope, id, body));
  }

  @Post(':id/members')
  @RequirePermission(Permission.OrgWrite)
  @ApiOperation({ summary: 'Add a representative to a party' })
  @ApiCreatedResponse({ type: PartyMemberView })
  @ApiNotFoundResponse({ type: ErrorBody })
  async addMember(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: PartyMemberDto,
  ): Promise<PartyMemberView> {
    return toPartyMemberView(await this.parties.addMember(principal.scope, id, body));
  }

  @Get(':id/members')
  @RequirePermission(Permission.OrgRead)
  @ApiOperation({ summary: "List a party's representatives" })
  @ApiOkResponse({ type: PartyMemberList })
  @ApiNotFoundResponse({ type: ErrorBody })
  async listMembers(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<PartyMemberList> {
    return { items: (await this.parties.listMembers(principal.scope, id)).map(toPartyMemberView) };
  }

  @Patch(':id/members/:memberId')
  @RequirePermission(Permission.OrgWrite)
  @ApiOperation({ summary: 'Update a representative' })
  @ApiOkResponse({ type: PartyMemberView })
  @ApiNotFoundResponse({ type: ErrorBody })
  async updateMember(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('memberId', ParseUUIDPipe) memberId: string,
    @Body() body: UpdatePartyMemberDto,
  ): Promise<PartyMemberView> {
    return toPartyMemberView(await this.parties.updateMember(principal.scope, id, memberId, body));
  }
}
