import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import { AGENDA_STATUSES, AgendaStatus } from '@sc/core/meetings/meeting-states';
import { OptionalNotNull } from '../../http/common.dto';

export class AgendaEntryDto {
  @ApiProperty({ example: '3号楼电梯长期故障, 请物业给出维修时间表' })
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiPropertyOptional({ description: 'No personal data (names, phone numbers) of residents' })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  description?: string;

  @ApiPropertyOptional({ type: [String], description: "Work orders of the meeting's community the item is about" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  workOrderIds?: string[];
}

export class MotionDto extends AgendaEntryDto {
  @ApiPropertyOptional({ format: 'uuid', description: "The owners' committee tabling it (needed when you sit on several, or when the convener tables it for the committee)" })
  @IsOptional()
  @IsUUID()
  partyId?: string;
}

export class UpdateAgendaItemDto {
  @ApiPropertyOptional({ enum: AGENDA_STATUSES, description: 'accepted puts it on the agenda, dropped takes it off' })
  @OptionalNotNull()
  @IsIn(AGENDA_STATUSES)
  status?: AgendaStatus;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @Length(1, 200)
  title?: string;

  @ApiPropertyOptional({ nullable: true, description: 'null clears it' })
  @IsOptional()
  @ValidateIf((_o: object, v: unknown) => v !== null)
  @IsString()
  @Length(1, 4000)
  description?: string | null;
}

export class ReorderAgendaDto {
  @ApiProperty({ type: [String], description: 'Items in the new order; items left out follow in their current order' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  itemIds!: string[];
}
