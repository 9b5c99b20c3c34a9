import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { DeviceCredentialsService } from './device-credentials.service';
import { DeviceImportService } from './device-import.service';
import { DevicesService } from './devices.service';
import { Device } from './entities/device.entity';

/** The device registry: provisioning, credentials, bulk import. The MQTT ingest uses DeviceCredentialsService.authenticate. */
@Module({
  imports: [MikroOrmModule.forFeature([Device])],
  providers: [DevicesService, DeviceCredentialsService, DeviceImportService],
  exports: [DevicesService, DeviceCredentialsService, DeviceImportService],
})
export class DevicesModule {}
