import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@sc/core/identity/credential-policy';

export class UpdateAccountDto {
  @ApiPropertyOptional({ example: '王芳' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  displayName?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'null unlinks' })
  @IsOptional()
  @IsUUID()
  gridWorkerId?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'null unlinks' })
  @IsOptional()
  @IsUUID()
  partyMemberId?: string | null;
}

/** An assigner sets a new password for an account in their scope. */
export class ResetPasswordDto {
  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  password!: string;
}
