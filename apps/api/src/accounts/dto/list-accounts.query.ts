import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQueryDto } from '../../http/common.dto';

export class ListAccountsQuery extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Part of the username or display name' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  q?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only accounts with a role in this unit\'s subtree' })
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;
}
