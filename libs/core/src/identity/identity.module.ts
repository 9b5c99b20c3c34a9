import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Account } from './entities/account.entity';
import { ApiKey } from './entities/api-key.entity';
import { RoleAssignment } from './entities/role-assignment.entity';
import { IdentityService } from './identity.service';

@Module({
  imports: [MikroOrmModule.forFeature([Account, RoleAssignment, ApiKey])],
  providers: [IdentityService],
  exports: [IdentityService],
})
export class IdentityModule {}
