import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { ApiKey } from '@sc/core/identity/entities/api-key.entity';
import { Role } from '@sc/core/identity/roles';

export class CreateApiKeyDto {
  @ApiProperty({ format: 'uuid', description: 'Property company whose system uses the key' })
  @IsUUID()
  companyId!: string;

  @ApiProperty({ example: '物业工单系统 ERP', description: 'What the key is for' })
  @IsString()
  @Length(1, 100)
  name!: string;
}

export class ListApiKeysQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  companyId?: string;
}

/** A key as listed: never its secret or hash. */
export class ApiKeyView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ description: 'Public part of the key (after sck_)' })
  keyId!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty({ enum: Role })
  role!: Role;
  @ApiProperty({ format: 'uuid' })
  companyId!: string;
  @ApiPropertyOptional({ format: 'uuid' })
  createdById?: string;
  @ApiProperty()
  createdAt!: Date;
  @ApiPropertyOptional()
  lastUsedAt?: Date;
  @ApiPropertyOptional()
  revokedAt?: Date;
}

export class CreatedApiKeyView extends ApiKeyView {
  @ApiProperty({ example: 'sck_0123456789abcdef.xxxxxxxx', description: 'The whole key, shown this once only: send it as X-API-Key' })
  key!: string;
}

export function toApiKeyView(apiKey: ApiKey): ApiKeyView {
  return {
    id: apiKey.id,
    keyId: apiKey.keyId,
    name: apiKey.name,
    role: apiKey.role,
    companyId: apiKey.propertyCompany.id,
    createdById: apiKey.createdBy?.id,
    createdAt: apiKey.createdAt,
    lastUsedAt: apiKey.lastUsedAt,
    revokedAt: apiKey.revokedAt,
  };
}
