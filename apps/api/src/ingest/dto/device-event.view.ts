import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DeviceEventRecord } from '@sc/core/telemetry/device-events.service';

/** A stored telemetry message or event (设备上报记录). */
export class DeviceEventView {
  @ApiProperty({ example: 'a1b2c3-0001' })
  msgId!: string;
  @ApiProperty({ enum: ['telemetry', 'event'] })
  channel!: 'telemetry' | 'event';
  @ApiPropertyOptional({ example: 'smoke.alarm', description: 'Event type (events only)' })
  type?: string;
  @ApiProperty({ description: 'Device time' })
  ts!: Date;
  @ApiProperty({ description: 'When the service received it' })
  receivedAt!: Date;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'number' }, example: { obscuration: 0.12, battery: 87 }, description: 'Telemetry values' })
  values?: Record<string, number>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Event data; personal identifiers are pseudonyms (个人信息已假名化)' })
  data?: Record<string, unknown>;
}

export class DeviceEventList {
  @ApiProperty({ type: [DeviceEventView], description: 'Newest device time first' })
  items!: DeviceEventView[];
  @ApiProperty()
  limit!: number;
}

export function toDeviceEventView(record: DeviceEventRecord): DeviceEventView {
  return { ...record };
}
