import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath, ApiExtraModels } from '@nestjs/swagger';
import { DeviceImportService } from '@sc/core/devices/device-import.service';
import { IMPORT_COLUMNS } from '@sc/core/devices/device-import-rows';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ErrorBody } from '../http/error-body';
import { DeviceImportResultView, toDeviceWithSecretView } from './dto/device.view';
import { ImportDeviceRowDto } from './dto/import-devices.dto';

@ApiTags('devices 设备')
@ApiExtraModels(ImportDeviceRowDto)
@Controller('devices')
export class DeviceImportController {
  constructor(private readonly imports: DeviceImportService) {}

  /**
   * The body is either JSON or CSV text, so it is not bound to a DTO (the validation pipe would
   * reject the whole upload): each row is checked by the registry and fails on its own.
   */
  @Post('import')
  @RequirePermission(Permission.DevicesWrite)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Provision devices in bulk (批量登记) from JSON or CSV',
    description:
      `Good rows are created, bad rows are reported with their row number (1-based, header excluded). ` +
      `CSV columns: ${IMPORT_COLUMNS.join(', ')}. The created devices carry their MQTT secrets: this is the only time they are shown.`,
  })
  @ApiConsumes('application/json', 'text/csv')
  @ApiBody({
    schema: {
      oneOf: [
        { type: 'object', required: ['devices'], properties: { devices: { type: 'array', items: { $ref: getSchemaPath(ImportDeviceRowDto) } } } },
        { type: 'string', example: 'code,type,communityCode,compoundCode,buildingCode,location\njl-smoke-0001,smoke,jinli,jl-01,1,1单元1楼' },
      ],
    },
  })
  @ApiOkResponse({ type: DeviceImportResultView })
  @ApiBadRequestResponse({ type: ErrorBody, description: 'Malformed JSON or CSV, unknown columns, no rows or too many' })
  async import(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
  ): Promise<DeviceImportResultView> {
    const csv = typeof body === 'string' && /^text\//i.test(contentType ?? '');
    const result = csv ? await this.imports.importCsv(principal.scope, body) : await this.imports.importJson(principal.scope, body);
    return {
      created: result.created.map((c) => ({ ...toDeviceWithSecretView(c), row: c.row })),
      errors: result.errors,
    };
  }
}
