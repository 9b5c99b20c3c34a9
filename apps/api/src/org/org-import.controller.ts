import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { IMPORT_KINDS } from '@sc/core/org/org-import.rows';
import { OrgImportService } from '@sc/core/org/org-import.service';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import { ImportResultView, OrgImportDto } from './dto/org-import.dto';

@ApiTags('org import 批量导入')
@Controller('org/import')
export class OrgImportController {
  constructor(private readonly imports: OrgImportService) {}

  @Post()
  @HttpCode(200)
  @RequirePermission(Permission.OrgWrite)
  @ApiOperation({
    summary: 'Import units, companies, compounds, buildings, grid workers and parties from JSON',
    description:
      'Kinds are applied parents first, so rows may reference rows of the same import by code. Each row goes in whole or ' +
      'not at all; bad rows (including rows outside your scope or duplicate codes) are reported and the good rows kept. ' +
      'An import whose every row is outside your scope is refused with 403.',
  })
  @ApiOkResponse({ type: ImportResultView })
  @ApiBadRequestResponse({ type: ErrorBody, description: 'Not JSON, or not an import object' })
  async importJson(@CurrentPrincipal() principal: Principal, @Body() body: OrgImportDto): Promise<ImportResultView> {
    return this.imports.importJson(principal.scope, body);
  }

  @Post(':kind')
  @HttpCode(200)
  @RequirePermission(Permission.OrgWrite)
  @ApiOperation({
    summary: 'Import one kind from CSV (Content-Type: text/csv, header row first)',
    description: 'Columns are the JSON row fields. Party members go in one cell as "name:title; name:title".',
  })
  @ApiParam({ name: 'kind', enum: IMPORT_KINDS })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: 'code,name,level,parentCode\nHN-TJA-DS-JL-G09,第九网格,grid,HN-TJA-DS-JL' } })
  @ApiOkResponse({ type: ImportResultView })
  @ApiBadRequestResponse({ type: ErrorBody, description: 'Malformed CSV, unknown kind, or a header with unknown or missing columns' })
  async importCsv(@CurrentPrincipal() principal: Principal, @Param('kind') kind: string, @Body() body: unknown): Promise<ImportResultView> {
    return this.imports.importCsv(principal.scope, kind, body);
  }
}
