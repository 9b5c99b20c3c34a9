import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_ENV } from './app-config.module';
import { BaseEnv } from './env.schema';

/**
 * Structured logs (pino), one JSON line per event. Credentials and personal data are
 * redacted at the logger, so a careless field cannot leak them.
 */
@Module({})
export class LoggingModule {
  static forApp(name: string): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [APP_ENV],
          useFactory: (env: BaseEnv) => ({
            pinoHttp: {
              name,
              level: env.LOG_LEVEL,
              genReqId: (req: IncomingMessage) => {
                const given = req.headers['x-request-id'];
                return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
              },
              redact: {
                paths: [
                  'req.headers.authorization',
                  'req.headers["x-api-key"]',
                  'req.headers.cookie',
                  '*.password',
                  '*.secret',
                  '*.credential',
                  '*.subject',
                  '*.phone',
                ],
                censor: '[redacted]',
              },
              customProps: () => ({ app: name }),
              autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' },
            },
          }),
        }),
      ],
    };
  }
}
