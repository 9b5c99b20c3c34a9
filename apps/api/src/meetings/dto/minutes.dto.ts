import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsObject, IsOptional, IsString, Length } from 'class-validator';
import { MeetingMinutes } from '@sc/core/meetings/entities/meeting-minutes.entity';
import { MINUTES_STATUS_LABELS, MinutesStatus } from '@sc/core/meetings/meeting-states';
import { MinutesVersions } from '@sc/core/meetings/minutes.service';
import { OptionalNotNull, LabelView } from '../../http/common.dto';

export class CorrectionDto {
  @ApiProperty({ example: '第2项议题物业公司的意见记录有误, 应为弃权' })
  @IsString()
  @Length(1, 1000)
  reason!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The corrected minutes (usually the latest content, changed)' })
  @IsObject()
  content!: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'The text as it should read; rendered from the content when left out' })
  @IsOptional()
  @IsString()
  @Length(1, 200_000)
  text?: string;

  @ApiPropertyOptional({ default: false, description: 'Keep it as an editable draft; publish later' })
  @IsOptional()
  @IsBoolean()
  draft?: boolean;
}

export class EditMinutesDto {
  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @Length(1, 1000)
  reason?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @OptionalNotNull()
  @IsObject()
  content?: Record<string, unknown>;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @Length(1, 200_000)
  text?: string;
}

export class MinutesView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ format: 'uuid' })
  meetingId!: string;
  @ApiProperty()
  version!: number;
  @ApiProperty({ enum: ['draft', 'published'] })
  status!: MinutesStatus;
  @ApiProperty({ type: LabelView })
  statusLabel!: LabelView;
  @ApiProperty({ type: 'object', additionalProperties: true })
  content!: Record<string, unknown>;
  @ApiProperty()
  text!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Why this correction was made' })
  reason!: string | null;
  @ApiProperty({ nullable: true, type: Date })
  publishedAt!: Date | null;
  @ApiProperty({ nullable: true, type: String })
  authorName!: string | null;
  @ApiProperty()
  createdAt!: Date;
}

export class MinutesListView {
  @ApiProperty({ format: 'uuid' })
  meetingId!: string;
  @ApiProperty({ type: MinutesView, nullable: true, description: 'The latest published version' })
  latest!: MinutesView | null;
  @ApiProperty({ type: [MinutesView], description: 'Every version, oldest first' })
  versions!: MinutesView[];
}

export function toMinutesView(m: MeetingMinutes): MinutesView {
  return {
    id: m.id,
    meetingId: m.meeting.id,
    version: m.version,
    status: m.status,
    statusLabel: MINUTES_STATUS_LABELS[m.status as MinutesStatus],
    content: m.content,
    text: m.text,
    reason: m.reason ?? null,
    publishedAt: m.publishedAt ?? null,
    authorName: m.authorName ?? null,
    createdAt: m.createdAt,
  };
}

export function toMinutesListView(v: MinutesVersions): MinutesListView {
  return { meetingId: v.meeting.id, latest: v.latest ? toMinutesView(v.latest) : null, versions: v.versions.map(toMinutesView) };
}
