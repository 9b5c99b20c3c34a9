import 'reflect-metadata';
import { workerEnvSchema } from '@sc/config';
import { runBackgroundApp } from '@sc/platform';
import { WorkerAppModule } from './worker.module';

void runBackgroundApp('worker', workerEnvSchema, WorkerAppModule.register());
