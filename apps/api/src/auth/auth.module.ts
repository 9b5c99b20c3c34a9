import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ApiEnv, APP_ENV, ensureSecret } from '@sc/config';
import { IdentityModule } from '@sc/core/identity/identity.module';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { BootstrapAdminService } from './bootstrap-admin.service';
import { TokenService } from './token.service';

@Module({
  imports: [
    IdentityModule,
    JwtModule.registerAsync({
      inject: [APP_ENV],
      useFactory: (env: ApiEnv) => ({
        secret: env.JWT_SECRET ?? ensureSecret(env.DATA_DIR, 'jwt.key'),
        signOptions: { algorithm: 'HS256' },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [TokenService, BootstrapAdminService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [IdentityModule, TokenService],
})
export class AuthModule {}
