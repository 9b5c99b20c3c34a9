import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'admin' })
  @IsString()
  @Length(1, 64)
  username!: string;

  @ApiProperty({ example: 'a long password' })
  @IsString()
  @Length(1, 200)
  password!: string;
}

export class TokenResponse {
  @ApiProperty()
  accessToken!: string;
  @ApiProperty({ description: 'Seconds until the token expires' })
  expiresIn!: number;
}

export class GrantBody {
  @ApiProperty()
  role!: string;
  @ApiProperty({ required: false })
  orgUnitId?: string;
  @ApiProperty({ required: false })
  compoundId?: string;
  @ApiProperty({ required: false })
  companyId?: string;
}

export class MeResponse {
  @ApiProperty({ enum: ['account', 'api_key'] })
  kind!: string;
  @ApiProperty()
  id!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty({ type: [GrantBody] })
  grants!: GrantBody[];
  @ApiProperty({ type: [String] })
  permissions!: string[];
}
