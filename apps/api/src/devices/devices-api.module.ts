import { Module } from '@nestjs/common';
import { DevicesModule } from '@sc/core/devices/devices.module';
import { DeviceImportController } from './device-import.controller';
import { DeviceTypesController } from './device-types.controller';
import { DevicesController } from './devices.controller';

/** The device registry over HTTP: catalogue, provisioning, credentials, bulk import. */
@Module({
  imports: [DevicesModule],
  controllers: [DeviceTypesController, DeviceImportController, DevicesController],
})
export class DevicesApiModule {}
