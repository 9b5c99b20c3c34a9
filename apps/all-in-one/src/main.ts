import 'reflect-metadata';
import { allInOneEnvSchema } from '@sc/config';
import { runHttpApp } from '../../api/src/run-http-app';
import { AllInOneModule } from './all-in-one.module';

void runHttpApp('all-in-one', allInOneEnvSchema, AllInOneModule.register());
