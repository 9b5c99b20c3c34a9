import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { getDeviceType } from '@sc/core/devices/device-types.catalogue';
import { Device } from '@sc/core/devices/entities/device.entity';
import { DomainErrorDetail } from '@sc/core/shared/domain-error';
import { ErrorDetailBody } from '../../http/error-body';
import { LocalisedNameView } from './device-type.view';

/** A device as the API shows it: never its credential or the credential's hash. */
export class DeviceView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ example: 'jl-smoke-0001', description: 'MQTT client id and username' })
  code!: string;
  @ApiProperty({ example: 'smoke' })
  type!: string;
  @ApiProperty({ type: LocalisedNameView, description: 'Name of the type, e.g. 烟感' })
  typeName!: LocalisedNameView;
  @ApiPropertyOptional()
  name?: string;
  @ApiProperty({ format: 'uuid' })
  communityId!: string;
  @ApiProperty({ description: 'Community code: the {siteId} of the device\'s topics sc/v1/{siteId}/{deviceId}/...' })
  siteId!: string;
  @ApiPropertyOptional({ format: 'uuid' })
  compoundId?: string;
  @ApiPropertyOptional()
  compoundCode?: string;
  @ApiPropertyOptional({ format: 'uuid' })
  buildingId?: string;
  @ApiPropertyOptional()
  buildingCode?: string;
  @ApiPropertyOptional({ format: 'uuid' })
  gridId?: string;
  @ApiPropertyOptional()
  gridCode?: string;
  @ApiPropertyOptional()
  location?: string;
  @ApiPropertyOptional()
  vendor?: string;
  @ApiPropertyOptional()
  model?: string;
  @ApiPropertyOptional()
  serialNumber?: string;
  @ApiProperty()
  enabled!: boolean;
  @ApiProperty({ description: 'When the current credential was issued' })
  credentialIssuedAt!: Date;
  @ApiProperty()
  provisionedAt!: Date;
  @ApiProperty()
  updatedAt!: Date;
  @ApiProperty({ type: Boolean, nullable: true, description: 'Online (在线) / offline (离线); null: provisioned, never heard from' })
  online!: boolean | null;
  @ApiPropertyOptional({ description: 'When the device was last heard from' })
  lastSeenAt?: Date;
  @ApiPropertyOptional({ description: 'Battery level from its last heartbeat (%)' })
  battery?: number;
  @ApiPropertyOptional({ description: 'Signal strength from its last heartbeat (dBm)' })
  rssi?: number;
  @ApiPropertyOptional({ description: 'Firmware version from its last heartbeat' })
  firmware?: string;
}

/** The answer to provisioning and rotation: the secret is in this response and nowhere else, ever. */
export class DeviceWithSecretView extends DeviceView {
  @ApiProperty({
    example: 'scd_3q2-7wErTyUiOpAsDfGhJkLzXcVbNm1234567890abc',
    description: 'MQTT password of the device, shown this once: store it in the device now',
  })
  secret!: string;
}

export class DevicePage {
  @ApiProperty({ type: [DeviceView] })
  items!: DeviceView[];
  @ApiProperty()
  total!: number;
  @ApiProperty()
  limit!: number;
  @ApiProperty()
  offset!: number;
}

export class ImportedDeviceView extends DeviceWithSecretView {
  @ApiProperty({ description: 'Row of the upload (1-based, header excluded)', example: 1 })
  row!: number;
}

export class DeviceImportResultView {
  @ApiProperty({ type: [ImportedDeviceView], description: 'Devices created, each with its one-time secret' })
  created!: ImportedDeviceView[];
  @ApiProperty({ type: [ErrorDetailBody], description: 'Rows not imported, with the field and the reason' })
  errors!: DomainErrorDetail[];
}

export function toDeviceView(device: Device): DeviceView {
  const type = getDeviceType(device.type);
  return {
    id: device.id,
    code: device.code,
    type: device.type,
    typeName: type ? { en: type.name.en, zh: type.name.zh } : { en: device.type, zh: device.type },
    name: device.name,
    communityId: device.community.id,
    siteId: device.community.code,
    compoundId: device.compound?.id,
    compoundCode: device.compound?.code,
    buildingId: device.building?.id,
    buildingCode: device.building?.code,
    gridId: device.grid?.id,
    gridCode: device.grid?.code,
    location: device.location,
    vendor: device.vendor,
    model: device.model,
    serialNumber: device.serialNumber,
    enabled: device.enabled,
    credentialIssuedAt: device.credentialIssuedAt,
    provisionedAt: device.provisionedAt,
    updatedAt: device.updatedAt,
    online: device.online ?? null,
    lastSeenAt: device.lastSeenAt ?? undefined,
    battery: device.battery ?? undefined,
    rssi: device.rssi ?? undefined,
    firmware: device.firmware ?? undefined,
  };
}

export function toDeviceWithSecretView(result: { device: Device; secret: string }): DeviceWithSecretView {
  return { ...toDeviceView(result.device), secret: result.secret };
}
