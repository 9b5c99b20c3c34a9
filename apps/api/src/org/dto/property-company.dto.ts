import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PropertyCompany } from '@sc/core/org/entities/property-company.entity';
import { OptionalNotNull, PageInfo, PageQueryDto } from '../../http/common.dto';

export class CreatePropertyCompanyDto {
  @ApiProperty({ example: 'HN-PC-JLWY' })
  @IsString()
  @Length(1, 64)
  code!: string;

  @ApiProperty({ example: '淮南锦里物业服务有限公司' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ description: 'Unified social credit code (统一社会信用代码)' })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  creditCode?: string | null;

  @ApiPropertyOptional({ description: 'Service desk phone (a business number)' })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  servicePhone?: string | null;
}

export class UpdatePropertyCompanyDto {
  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ nullable: true, description: 'null clears it' })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  creditCode?: string | null;

  @ApiPropertyOptional({ nullable: true, description: 'null clears it' })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  servicePhone?: string | null;
}

export class PropertyCompanyListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Companies managing a compound under this unit' })
  @IsOptional()
  @IsUUID()
  under?: string;

  @ApiPropertyOptional({ description: 'Name or code contains (case-insensitive)' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;
}

export class PropertyCompanyView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  code!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty({ nullable: true, type: String })
  creditCode!: string | null;
  @ApiProperty({ nullable: true, type: String })
  servicePhone!: string | null;
  @ApiProperty()
  createdAt!: Date;
  @ApiProperty()
  updatedAt!: Date;
}

export class PropertyCompanyPage extends PageInfo {
  @ApiProperty({ type: [PropertyCompanyView] })
  items!: PropertyCompanyView[];
}

export function toPropertyCompanyView(company: PropertyCompany): PropertyCompanyView {
  return {
    id: company.id,
    code: company.code,
    name: company.name,
    creditCode: company.creditCode ?? null,
    servicePhone: company.servicePhone ?? null,
    createdAt: company.createdAt,
    updatedAt: company.updatedAt,
  };
}
