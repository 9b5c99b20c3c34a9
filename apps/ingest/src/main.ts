import 'reflect-metadata';
import { ingestEnvSchema } from '@sc/config';
import { runBackgroundApp } from '@sc/platform';
import { IngestAppModule } from './ingest.module';

void runBackgroundApp('ingest', ingestEnvSchema, IngestAppModule.register());
