import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Account } from './entities/account.entity';
import { ApiKey } from './entities/api-key.entity';
import { RoleAssignment } from './entities/role-assignment.entity';
import { AccountsService } from './accounts.service';
import { ApiKeysService } from './api-keys.service';
import { IdentityService } from './identity.service';
import { RoleGrantsService } from './role-grants.service';

@Module({
  imports: [MikroOrmModule.forFeature([Account, RoleAssignment, ApiKey])],
  providers: [IdentityService, AccountsService, RoleGrantsService, ApiKeysService],
  exports: [IdentityService, AccountsService, RoleGrantsService, ApiKeysService],
})
export class IdentityModule {}
