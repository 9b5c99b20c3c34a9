import 'reflect-metadata';
import { apiEnvSchema } from '@sc/config';
import { runHttpApp } from './run-http-app';
import { ApiAppModule } from './api.module';

void runHttpApp('api', apiEnvSchema, ApiAppModule.register());
