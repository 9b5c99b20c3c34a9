import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@sc/core/identity/credential-policy';
import { GrantRoleDto } from './grant-role.dto';

export class CreateAccountDto {
  @ApiProperty({ example: 'wang.fang', description: '3-64 characters (letters, digits, . _ @ -); stored in lower case' })
  @IsString()
  @Length(3, 64)
  username!: string;

  @ApiProperty({ example: '王芳' })
  @IsString()
  @Length(1, 100)
  displayName!: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  password!: string;

  @ApiProperty({ type: [GrantRoleDto], description: 'At least one; each anchor must be inside your scope' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => GrantRoleDto)
  roles!: GrantRoleDto[];

  @ApiPropertyOptional({ format: 'uuid', description: 'Grid-worker roster entry this account belongs to' })
  @IsOptional()
  @IsUUID()
  gridWorkerId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Joint-meeting party member this account represents' })
  @IsOptional()
  @IsUUID()
  partyMemberId?: string;
}
