import { Global, Module } from '@nestjs/common';
import { AuditLog } from './audit-log';
import { Outbox } from '../outbox/outbox';

/** The audit log and the job outbox: every feature that changes state records with them. */
@Global()
@Module({
  providers: [AuditLog, Outbox],
  exports: [AuditLog, Outbox],
})
export class AuditModule {}
