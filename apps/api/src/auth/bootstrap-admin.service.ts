import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ApiEnv, APP_ENV, ensureSecret } from '@sc/config';
import { IdentityService } from '@sc/core/identity/identity.service';
import { join } from 'node:path';

/**
 * First start: creates the administrator from ADMIN_USERNAME / ADMIN_PASSWORD. Without a
 * password one is generated into DATA_DIR/admin-password (mode 0600); the log names the file,
 * never the password.
 */
@Injectable()
export class BootstrapAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapAdminService.name);

  constructor(
    private readonly identity: IdentityService,
    @Inject(APP_ENV) private readonly env: ApiEnv,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const generated = this.env.ADMIN_PASSWORD === undefined;
    const password = this.env.ADMIN_PASSWORD ?? ensureSecret(this.env.DATA_DIR, 'admin-password', 18);
    const created = await this.identity.ensureBootstrapAdmin(this.env.ADMIN_USERNAME, password);
    if (created && generated) {
      this.logger.warn(
        { username: this.env.ADMIN_USERNAME, passwordFile: join(this.env.DATA_DIR, 'admin-password') },
        'administrator created with a generated password; read it from the file and change it',
      );
    }
  }
}
