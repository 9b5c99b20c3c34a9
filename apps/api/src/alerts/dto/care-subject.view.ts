import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CareSubjectWithDevices } from '@sc/core/alerts/care/care-subjects.service';

export class CareSubjectView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ format: 'uuid' })
  communityId!: string;
  @ApiPropertyOptional({ format: 'uuid' })
  compoundId?: string;
  @ApiPropertyOptional({ format: 'uuid' })
  gridId?: string;
  @ApiProperty({ example: '3栋2单元 独居老人A' })
  alias!: string;
  @ApiPropertyOptional({ description: 'Keyed pseudonym of the resident identifier (links records, reveals nothing)' })
  residentRef?: string;
  @ApiProperty({ example: 24 })
  quietHours!: number;
  @ApiProperty({ description: 'Latest activity of a watched device (server time)' })
  lastActivityAt!: Date;
  @ApiProperty()
  active!: boolean;
  @ApiProperty({ type: [String], format: 'uuid' })
  deviceIds!: string[];
  @ApiProperty()
  createdAt!: Date;
  @ApiProperty()
  updatedAt!: Date;
}

export class CareSubjectPage {
  @ApiProperty({ type: [CareSubjectView] })
  items!: CareSubjectView[];
  @ApiProperty()
  total!: number;
  @ApiProperty()
  limit!: number;
  @ApiProperty()
  offset!: number;
}

export function toCareSubjectView({ subject, deviceIds }: CareSubjectWithDevices): CareSubjectView {
  return {
    id: subject.id,
    communityId: subject.community.id,
    compoundId: subject.compound?.id,
    gridId: subject.grid?.id,
    alias: subject.alias,
    residentRef: subject.residentRef ?? undefined,
    quietHours: subject.quietHours,
    lastActivityAt: subject.lastActivityAt,
    active: subject.active,
    deviceIds,
    createdAt: subject.createdAt,
    updatedAt: subject.updatedAt,
  };
}
