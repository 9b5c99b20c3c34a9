import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** OpenAPI shapes of the catalogue (libs/core/src/devices/device-type.ts); the data is served as is. */

export class LocalisedNameView {
  @ApiProperty({ example: 'Smoke alarm' })
  en!: string;
  @ApiProperty({ example: '烟感' })
  zh!: string;
}

export class TelemetryFieldView {
  @ApiProperty({ example: 'battery', description: 'Key in the telemetry values object' })
  key!: string;
  @ApiProperty({ type: LocalisedNameView })
  name!: LocalisedNameView;
  @ApiProperty({ example: '%', description: 'Unit; empty for a flag or a count' })
  unit!: string;
  @ApiProperty({ example: 0, description: 'Values below are rejected as out of range' })
  min!: number;
  @ApiProperty({ example: 100, description: 'Values above are rejected as out of range' })
  max!: number;
}

export class EventAlertView {
  @ApiProperty({ enum: ['critical', 'major', 'minor', 'warning'] })
  severity!: string;
  @ApiProperty({ enum: ['safety', 'facility'], description: 'safety → grid worker; facility → property company' })
  category!: string;
}

export class EventTypeView {
  @ApiProperty({ example: 'smoke.alarm' })
  type!: string;
  @ApiProperty({ type: LocalisedNameView })
  name!: LocalisedNameView;
  @ApiPropertyOptional({ type: EventAlertView, description: 'Present when the event raises an alert by default' })
  alert?: EventAlertView;
  @ApiPropertyOptional({ description: 'data.subject (card number, face id) is pseudonymised on arrival' })
  personalSubject?: boolean;
  @ApiPropertyOptional({ example: 'smoke.alarm', description: 'Alert type this event clears' })
  clears?: string;
}

export class ThresholdRuleView {
  @ApiProperty({ example: 'pressure' })
  field!: string;
  @ApiProperty({ enum: ['gt', 'lt'] })
  op!: string;
  @ApiProperty({ example: 0.1 })
  limit!: number;
  @ApiPropertyOptional({ example: 30, description: 'Only after the condition held this long' })
  forMinutes?: number;
  @ApiProperty({ example: 'hydrant.low_pressure' })
  alertType!: string;
  @ApiProperty({ type: LocalisedNameView })
  name!: LocalisedNameView;
  @ApiProperty({ enum: ['critical', 'major', 'minor', 'warning'] })
  severity!: string;
  @ApiProperty({ enum: ['safety', 'facility'] })
  category!: string;
}

export class DeviceTypeView {
  @ApiProperty({ example: 'smoke' })
  code!: string;
  @ApiProperty({ type: LocalisedNameView })
  name!: LocalisedNameView;
  @ApiProperty({ example: 14400, description: 'Expected heartbeat interval; longer silence means offline' })
  heartbeatSeconds!: number;
  @ApiProperty({ enum: ['battery', 'mains'] })
  power!: string;
  @ApiProperty({ enum: ['nb-iot', 'lorawan', '4g', 'ethernet', 'wifi'] })
  network!: string;
  @ApiProperty({ enum: ['safety', 'facility'], description: 'Category of the offline alert and of faults' })
  category!: string;
  @ApiProperty({ enum: ['critical', 'major', 'minor', 'warning'] })
  offlineSeverity!: string;
  @ApiProperty({ type: [TelemetryFieldView] })
  telemetry!: TelemetryFieldView[];
  @ApiProperty({ type: [EventTypeView] })
  events!: EventTypeView[];
  @ApiProperty({ type: [ThresholdRuleView] })
  thresholds!: ThresholdRuleView[];
}
