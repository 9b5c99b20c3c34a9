import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { DEVICE_CODE_PATTERN, DEVICE_TEXT_LIMITS } from '@sc/core/devices/device-fields';
import { DEVICE_TYPE_CODES } from '@sc/core/devices/device-types.catalogue';
import { DevicePlacementDto } from './device-placement.dto';

const optional = () => ValidateIf((_, v) => v !== null && v !== undefined);

/** Placement, name, location and the vendor's identifiers; on PATCH null clears one. */
export class DeviceFieldsDto extends DevicePlacementDto {
  @ApiPropertyOptional({ example: '2单元3楼楼道烟感', nullable: true })
  @optional()
  @IsString()
  @MaxLength(DEVICE_TEXT_LIMITS.name)
  name?: string | null;

  @ApiPropertyOptional({ example: '2单元3楼楼道', nullable: true })
  @optional()
  @IsString()
  @MaxLength(DEVICE_TEXT_LIMITS.location)
  location?: string | null;

  @ApiPropertyOptional({ example: '海康威视', nullable: true })
  @optional()
  @IsString()
  @MaxLength(DEVICE_TEXT_LIMITS.vendor)
  vendor?: string | null;

  @ApiPropertyOptional({ example: 'NB-YG01', nullable: true })
  @optional()
  @IsString()
  @MaxLength(DEVICE_TEXT_LIMITS.model)
  model?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @optional()
  @IsString()
  @MaxLength(DEVICE_TEXT_LIMITS.serialNumber)
  serialNumber?: string | null;
}

export class ProvisionDeviceDto extends DeviceFieldsDto {
  @ApiProperty({ example: 'jl-smoke-0001', description: 'MQTT client id and username: 3-64 of A-Z a-z 0-9 _ . -' })
  @IsString()
  @Matches(DEVICE_CODE_PATTERN, { message: "code must be 3-64 characters of A-Z, a-z, 0-9, '_', '.' or '-'" })
  code!: string;

  @ApiProperty({ enum: DEVICE_TYPE_CODES, example: 'smoke', description: 'A code of GET /device-types' })
  @IsString()
  @IsIn(DEVICE_TYPE_CODES, { message: 'type must be a code of GET /device-types' })
  type!: string;
}

export class UpdateDeviceDto extends DeviceFieldsDto {}
