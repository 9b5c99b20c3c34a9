import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { HttpExceptionFilter } from './http-exception.filter';
import { createValidationPipe } from './validation';

export interface HttpAppOptions {
  bodyLimit: string;
}

/** Everything main.ts and the e2e tests both need, so tests run the app as it ships. */
export function configureHttpApp(app: INestApplication, options: HttpAppOptions): void {
  const express = app as NestExpressApplication;
  express.useLogger(app.get(Logger));
  express.useBodyParser('json', { limit: options.bodyLimit });
  express.useBodyParser('text', { limit: options.bodyLimit, type: ['text/csv', 'text/plain'] });
  express.disable('x-powered-by');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());
  // Exit 0 after a graceful close (the default re-raises the signal, exit 143) and let pino flush.
  app.enableShutdownHooks([], { useProcessExit: true });

  const config = new DocumentBuilder()
    .setTitle('Smart-community integration service 智慧社区集成服务')
    .setDescription(
      'Org hierarchy, device registry, identity and scopes. Every route needs a bearer token ' +
        '(POST /auth/login) or a company API key (X-API-Key), and sees only its scope.',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
