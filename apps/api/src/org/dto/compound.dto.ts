import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { Compound } from '@sc/core/org/entities/compound.entity';
import { OptionalNotNull, PageInfo, PageQueryDto } from '../../http/common.dto';

export class CreateCompoundDto {
  @ApiProperty({ example: 'HN-TJA-DS-JL-C01' })
  @IsString()
  @Length(1, 64)
  code!: string;

  @ApiProperty({ example: '锦里花园' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The community (or give communityCode)' })
  @IsOptional()
  @IsUUID()
  communityId?: string;

  @ApiPropertyOptional({ example: 'HN-TJA-DS-JL' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  communityCode?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Managing property company (or give propertyCompanyCode)' })
  @IsOptional()
  @IsUUID()
  propertyCompanyId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 64)
  propertyCompanyCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 300)
  address?: string | null;
}

export class UpdateCompoundDto {
  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ nullable: true, description: 'null clears it' })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  address?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'Another managing company; null removes it' })
  @IsOptional()
  @IsUUID()
  propertyCompanyId?: string | null;

  @ApiPropertyOptional({ nullable: true, description: 'Another managing company by code; null removes it' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  propertyCompanyCode?: string | null;
}

export class CompoundListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  communityId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Compounds anywhere under this unit' })
  @IsOptional()
  @IsUUID()
  under?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  propertyCompanyId?: string;

  @ApiPropertyOptional({ description: 'Name or code contains (case-insensitive)' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;
}

export class CompoundView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  code!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty({ format: 'uuid' })
  communityId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  propertyCompanyId!: string | null;
  @ApiProperty({ nullable: true, type: String })
  address!: string | null;
  @ApiProperty()
  createdAt!: Date;
  @ApiProperty()
  updatedAt!: Date;
}

export class CompoundPage extends PageInfo {
  @ApiProperty({ type: [CompoundView] })
  items!: CompoundView[];
}

export function toCompoundView(compound: Compound): CompoundView {
  return {
    id: compound.id,
    code: compound.code,
    name: compound.name,
    communityId: compound.community.id,
    propertyCompanyId: compound.propertyCompany?.id ?? null,
    address: compound.address ?? null,
    createdAt: compound.createdAt,
    updatedAt: compound.updatedAt,
  };
}
