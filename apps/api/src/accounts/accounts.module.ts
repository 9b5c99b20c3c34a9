import { Module } from '@nestjs/common';
import { IdentityModule } from '@sc/core/identity/identity.module';
import { AccountsController } from './accounts.controller';
import { ApiKeysController } from './api-keys.controller';
import { RolesController } from './roles.controller';

/** Accounts, role grants, company API keys and the role catalogue. */
@Module({
  imports: [IdentityModule],
  controllers: [AccountsController, ApiKeysController, RolesController],
})
export class AccountsModule {}
