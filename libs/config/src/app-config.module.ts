import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, registerAs } from '@nestjs/config';
import { z } from 'zod';
import { BaseEnv, parseEnv } from './env.schema';
import { ensureSecret } from './secrets';

/** Injection token for the parsed, typed environment of the running app. */
export const APP_ENV = 'app-env';

/** Settings every lib may read; resolved once from the app's validated environment. */
export interface RuntimeSettings {
  env: BaseEnv;
  /** Key of the keyed hash that pseudonymises personal data. */
  pseudonymKey: string;
}
export const RUNTIME_SETTINGS = Symbol('RUNTIME_SETTINGS');

@Global()
@Module({})
export class AppConfigModule {
  /**
   * Validates the environment with the app's schema once, through @nestjs/config, at
   * bootstrap. `overrides` lets tests and the all-in-one entry supply values; nothing is
   * written back to process.env, so apps built in one process never see each other's values.
   */
  static forApp<S extends z.ZodType<BaseEnv>>(schema: S, overrides: Record<string, unknown> = {}): DynamicModule {
    const appEnv = registerAs(APP_ENV, () => parseEnv(schema, { ...process.env, ...overrides }));
    return {
      module: AppConfigModule,
      imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, ignoreEnvVars: true, load: [appEnv] })],
      providers: [
        {
          provide: RUNTIME_SETTINGS,
          inject: [appEnv.KEY],
          useFactory: (env: BaseEnv): RuntimeSettings => ({
            env,
            pseudonymKey: env.PSEUDONYM_KEY ?? ensureSecret(env.DATA_DIR, 'pseudonym.key'),
          }),
        },
        { provide: APP_ENV, useExisting: appEnv.KEY },
      ],
      exports: [APP_ENV, RUNTIME_SETTINGS],
    };
  }
}
